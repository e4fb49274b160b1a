import DossierAPI
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@Suite struct PeopleTests {
    static let traineeBody = #"""
        {"name":"Chris Aios","email":"chris@dossier.test","roles":["trainee"],
         "trainee":{"start_date":"2025-09-01","expected_end_date":"2028-09-01","training_year":1,"site":"den_haag"}}
        """#

    @Test func aCreatedTraineeCanBeReadBackWithTheSameETag() async throws {
        try await World.test { world in
            let created = try await world.request(.post, "/v1/people", as: world.admin, body: Self.traineeBody)
            #expect(created.status == .created)
            let person = try created.decode(API.Person.self)

            let read = try await world.request(.get, "/v1/people/\(person.id)", as: world.admin)

            #expect(read.status == .ok)
            #expect(read.headers[.eTag] == created.headers[.eTag])
            #expect(read.headers[.eTag]?.hasPrefix("\"") == true)
            #expect(try read.decode(API.Person.self) == person)
            #expect(person.trainee?.site == .denHaag)
            #expect(person.trainee?.status == .active)
        }
    }

    @Test(arguments: [
        (#"{"name":"X","email":"not-an-email","roles":["teacher"]}"#, 422, "validation-failed", "/email"),
        (#"{"name":"X","email":"x@dossier.test","roles":["wizard"]}"#, 422, "validation-failed", "/roles/0"),
        (
            #"{"name":"X","email":"x@dossier.test","roles":["trainee"],"trainee":{"expected_end_date":"2028-01-01","training_year":1,"site":"leiden"}}"#,
            422, "validation-failed", "/trainee/start_date"
        ),
        (
            #"{"name":"X","email":"x@dossier.test","roles":["trainee"],"trainee":{"start_date":"2026-01-01","expected_end_date":"2025-01-01","training_year":1,"site":"leiden"}}"#,
            422, "validation-failed", "/trainee/expected_end_date"
        ),
        (#"{"name":"X","email":"ANNA@dossier.test","roles":["teacher"]}"#, 409, "duplicate-email", "/email"),
        (
            #"{"name":"X","email":"x@dossier.test","roles":["teacher"],"status":"active"}"#, 400, "unknown-field",
            "/status"
        ),
    ])
    func aBadPersonIsRefusedAndNothingChanges(body: String, status: Int, slug: String, pointer: String) async throws {
        try await World.test { world in
            let before = try await world.database.digest()

            let response = try await world.request(.post, "/v1/people", as: world.admin, body: body)

            let problem = try response.problem()
            #expect(Int(response.status.code) == status)
            #expect(problem._type == "https://dossier.example/problems/\(slug)")
            #expect(problem.errors?.map(\.pointer) == [pointer])
            #expect(try await world.database.digest() == before)
        }
    }

    @Test func listsArePagedWithASignedCursorAndALinkHeader() async throws {
        try await World.test { world in
            let first = try await world.request(.get, "/v1/people?limit=3", as: world.admin)
            let page = try first.decode(API.PersonList.self)
            let cursor = try #require(page.nextCursor)
            let link = try #require(first.headers[.init("Link")!])

            #expect(page.items.count == 3)
            #expect(link == "<http://dossier.test/v1/people?cursor=\(cursor)&limit=3>; rel=\"next\"")

            var seen = page.items.map(\.id)
            var next: String? = cursor
            while let current = next {
                let response = try await world.request(.get, "/v1/people?limit=3&cursor=\(current)", as: world.admin)
                let more = try response.decode(API.PersonList.self)
                seen += more.items.map(\.id)
                next = more.nextCursor
                if next == nil { #expect(response.headers[.init("Link")!] == nil) }
            }
            let all = try await world.request(.get, "/v1/people?limit=500", as: world.admin).decode(API.PersonList.self)
            #expect(seen == all.items.map(\.id))
            #expect(Set(seen).count == seen.count)

            let flipped: Character = Array(cursor)[5] == "A" ? "B" : "A"
            let forgedCursor = String(cursor.prefix(5)) + String(flipped) + String(cursor.dropFirst(6))
            let forged = try await world.request(.get, "/v1/people?cursor=\(forgedCursor)", as: world.admin)
            #expect(forged.status == .badRequest)
            #expect(try forged.problem()._type == "https://dossier.example/problems/invalid-cursor")
            let tooMany = try await world.request(.get, "/v1/people?limit=501", as: world.admin)
            #expect(try tooMany.problem().errors?.first?.pointer == "#/query/limit")
        }
    }

    @Test func filtersNarrowTheList() async throws {
        try await World.test { world in
            let trainees = try await world.request(.get, "/v1/people?role=trainee", as: world.admin).decode(
                API.PersonList.self
            )
            let anna = try await world.request(.get, "/v1/people?q=ANNA", as: world.admin).decode(API.PersonList.self)
            let future = try await world.request(.get, "/v1/people?updated_since=2099-01-01T00:00:00Z", as: world.admin)
                .decode(API.PersonList.self)
            let badRole = try await world.request(.get, "/v1/people?role=wizard", as: world.admin)

            #expect(Set(trainees.items.map(\.id)) == [world.trainee.id, world.otherTrainee.id])
            #expect(anna.items.map(\.id) == [world.trainee.id])
            #expect(future.items.isEmpty)
            #expect(badRole.status == .unprocessableContent)
            #expect(try badRole.problem().errors?.map(\.pointer) == ["#/query/role"])
        }
    }

    @Test func aPatchNeedsTheCurrentETag() async throws {
        try await World.test { world in
            let path = "/v1/people/\(world.trainee.id)"
            let etag = try #require(try await world.request(.get, path, as: world.trainee).headers[.eTag])
            let before = try await world.database.digest()

            let missing = try await world.request(
                .patch,
                path,
                as: world.trainee,
                body: #"{"name":"Anna B"}"#,
                headers: Fixture.mergePatch
            )
            let stale = try await world.request(
                .patch,
                path,
                as: world.trainee,
                body: #"{"name":"Anna B"}"#,
                headers: Fixture.mergePatch(ifMatch: "\"stale\"")
            )
            #expect(missing.status == .preconditionRequired)
            #expect(try missing.problem()._type == "https://dossier.example/problems/precondition-required")
            #expect(stale.status == .preconditionFailed)
            #expect(try await world.database.digest() == before)

            let changed = try await world.request(
                .patch,
                path,
                as: world.trainee,
                body: #"{"name":"Anna B"}"#,
                headers: Fixture.mergePatch(ifMatch: etag)
            )
            #expect(changed.status == .ok)
            #expect(try changed.decode(API.Person.self).name == "Anna B")
            #expect(changed.headers[.eTag] != etag)

            let replayed = try await world.request(
                .patch,
                path,
                as: world.trainee,
                body: #"{"name":"Anna C"}"#,
                headers: Fixture.mergePatch(ifMatch: etag)
            )
            #expect(replayed.status == .preconditionFailed)
        }
    }

    @Test func nullClearsAFieldAndAbsentLeavesIt() async throws {
        try await World.test { world in
            let group = try await world.request(
                .post,
                "/v1/groups",
                as: world.coordinator,
                body: #"{"name":"Jaar 2 Leiden","kind":"year","training_year":2,"site":"leiden"}"#
            ).decode(API.Group.self)
            let path = "/v1/people/\(world.trainee.id)"
            var etag = try #require(try await world.request(.get, path, as: world.coordinator).headers[.eTag])

            let joined = try await world.request(
                .patch,
                path,
                as: world.coordinator,
                body: #"{"trainee":{"group_id":"\#(group.id)"}}"#,
                headers: Fixture.mergePatch(ifMatch: etag)
            )
            etag = try #require(joined.headers[.eTag])
            let cleared = try await world.request(
                .patch,
                path,
                as: world.coordinator,
                body: #"{"trainee":{"group_id":null}}"#,
                headers: Fixture.mergePatch(ifMatch: etag)
            )

            #expect(try joined.decode(API.Person.self).trainee?.groupId == group.id)
            let after = try cleared.decode(API.Person.self)
            #expect(after.trainee?.groupId == nil)
            #expect(after.trainee?.trainingYear == 2)
            #expect(after.name == "Anna Aios")
        }
    }

    @Test(arguments: [
        (#"{"roles":["admin","trainee"]}"#, 422, "/roles"),
        (#"{"id":"00000000-0000-0000-0000-000000000000"}"#, 422, "/id"),
        (#"{"trainee":{"status":"completed"}}"#, 422, "/trainee/status"),
        (#"{"trainee":{"training_year":2}}"#, 422, "/trainee"),
        (#"{"nickname":"A"}"#, 400, "/nickname"),
        (#"{"name":7}"#, 400, "/name"),
    ])
    func aTraineeCannotSetServerOwnedOrForeignFieldsOnThemself(body: String, status: Int, pointer: String) async throws
    {
        try await World.test { world in
            let path = "/v1/people/\(world.trainee.id)"
            let etag = try #require(try await world.request(.get, path, as: world.trainee).headers[.eTag])
            let before = try await world.database.digest()

            let response = try await world.request(
                .patch,
                path,
                as: world.trainee,
                body: body,
                headers: Fixture.mergePatch(ifMatch: etag)
            )

            #expect(Int(response.status.code) == status)
            #expect(try response.problem().errors?.map(\.pointer) == [pointer])
            #expect(try await world.database.digest() == before)
        }
    }

    @Test func completionIsRecordedOnceAndCorrectedOnlyByACoordinatorWithAReason() async throws {
        try await World.test { world in
            let path = "/v1/people/\(world.trainee.id)/completion"
            let recorded = try await world.request(
                .post,
                path,
                as: world.admin,
                body: #"{"completed_at":"2026-10-01","outcome":"completed"}"#
            )
            let byAdmin = try await world.request(
                .post,
                path,
                as: world.admin,
                body: #"{"completed_at":"2026-10-02","outcome":"completed","reason":"typo"}"#
            )
            let withoutReason = try await world.request(
                .post,
                path,
                as: world.coordinator,
                body: #"{"completed_at":"2026-10-02","outcome":"completed"}"#
            )
            let corrected = try await world.request(
                .post,
                path,
                as: world.coordinator,
                body: #"{"completed_at":"2026-09-30","outcome":"stopped","reason":"stopped early, date from HR"}"#
            )

            #expect(recorded.status == .ok)
            #expect(try recorded.decode(API.Person.self).trainee?.completedAt == "2026-10-01")
            #expect(byAdmin.status == .unprocessableContent)
            #expect(try withoutReason.problem().errors?.map(\.pointer) == ["/reason"])
            let person = try corrected.decode(API.Person.self)
            #expect(person.trainee?.status == .stopped)
            #expect(person.trainee?.completedAt == "2026-09-30")
            let history = try await world.database.withOwnerClient { client in
                try await client.query("SELECT count(*)::int, count(corrects)::int FROM completion_events").collect()
                    .first?
                    .decode((Int, Int).self)
            }
            #expect(history?.0 == 2)
            #expect(history?.1 == 1)
        }
    }

    @Test func readsOfATraineeBySomeoneElseAreLoggedAndOwnReadsAreNot() async throws {
        try await World.test { world in
            _ = try await world.request(.get, "/v1/people/\(world.trainee.id)", as: world.trainee)
            _ = try await world.request(.get, "/v1/people/\(world.trainee.id)", as: world.trainer)
            _ = try await world.request(.get, "/v1/people/\(world.trainee.id)", as: world.formerTrainer)
            _ = try await world.request(.get, "/v1/people?role=trainee", as: world.coordinator)

            let rows = try await world.accessLogRows(about: world.trainee.id)
            let others = try await world.accessLogRows(about: world.otherTrainee.id)

            // The first row is the admin creating the trainee's record in the test world.
            #expect(rows.map(\.rule) == ["admin", "supervisor:trainer", "coordinator"])
            #expect(rows.map(\.action) == ["C", "R", "R"])
            #expect(rows.map(\.actor) == [world.admin.id, world.trainer.id, world.coordinator.id])
            #expect(rows.allSatisfy { $0.resource == "person" })
            #expect(others.map(\.rule) == ["admin", "coordinator"])

            let log = try await world.request(.get, "/v1/people/\(world.trainee.id)/access-log", as: world.trainee)
                .decode(API.AccessLogList.self)
            #expect(log.items.map(\.rule) == ["admin", "supervisor:trainer", "coordinator"])
            #expect(log.items.dropFirst().first?.actorPersonId == world.trainer.id)
            let coordinatorReadsTheLog = try await world.request(
                .get,
                "/v1/people/\(world.trainee.id)/access-log",
                as: world.coordinator
            )
            #expect(coordinatorReadsTheLog.status == .ok)
            #expect(try await world.accessLogRows(about: world.trainee.id).last?.resource == "access_log")
        }
    }

    @Test func theApplicationRoleCannotChangeOrDeleteTheAccessLog() async throws {
        try await World.test { world in
            _ = try await world.request(.get, "/v1/people/\(world.trainee.id)", as: world.trainer)

            await #expect(throws: (any Error).self) {
                try await world.database.withAppClient { try await $0.query("UPDATE access_log SET rule = 'forged'") }
            }
            await #expect(throws: (any Error).self) {
                try await world.database.withAppClient { try await $0.query("DELETE FROM access_log") }
            }
            #expect(
                try await world.accessLogRows(about: world.trainee.id).map(\.rule) == ["admin", "supervisor:trainer"]
            )
        }
    }

}
