import DossierAPI
import DossierCore
import DossierTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Testing

@Suite struct IPOEnrollmentTests {
    @Test func aFullActivityWaitlistsAndACancellationPromotesTheNextWithItsReason() async throws {
        try await World.test { world in
            let trainees = try await world.trainees(4)
            let activity = try await world.ipoActivity(capacity: 2)
            var statuses: [API.IpoEnrollment] = []
            for trainee in trainees {
                statuses.append(try await world.enroll(trainee, in: activity.id).decode(API.IpoEnrollment.self))
            }
            let full = try await world.ipoActivity(activity.id)

            let cancelled = try await world.request(
                .post,
                "/v1/ipo/activities/\(activity.id)/enrollments/\(statuses[0].id)/cancel",
                as: trainees[0],
                body: "{}"
            )
            let promoted = try await world.request(
                .get,
                "/v1/ipo/activities/\(activity.id)/enrollments/\(statuses[2].id)",
                as: trainees[2]
            ).decode(API.IpoEnrollment.self)
            let stillWaiting = try await world.request(
                .get,
                "/v1/ipo/activities/\(activity.id)/enrollments/\(statuses[3].id)",
                as: trainees[3]
            ).decode(API.IpoEnrollment.self)
            let after = try await world.ipoActivity(activity.id)
            let events = try await Self.events(world)

            #expect(statuses.map(\.status) == [.enrolled, .enrolled, .waitlisted, .waitlisted])
            #expect(statuses.map(\.position) == [nil, nil, 1, 2])
            #expect(full.enrolled == 2 && full.waitlisted == 2 && full.freeSeats == 0)
            #expect(cancelled.status == .ok)
            #expect(try cancelled.decode(API.IpoEnrollment.self).status == .cancelled)
            #expect(promoted.status == .enrolled && promoted.declinable && promoted.position == nil)
            #expect(promoted.promotionReason?.hasPrefix("First on the waitlist (rule first_come") == true)
            #expect(stillWaiting.position == 1 && stillWaiting.waitlistRuleExplained.hasPrefix("First come"))
            #expect(after.enrolled == 2 && after.waitlisted == 1)
            #expect(events == ["promoted \(trainees[2].id)"])
        }
    }

    @Test func aPromotedTraineeDeclinesWithOneCallAndTheNextIsPromotedAtOnce() async throws {
        try await World.test { world in
            let trainees = try await world.trainees(3)
            let activity = try await world.ipoActivity(capacity: 1)
            var ids: [String] = []
            for trainee in trainees {
                ids.append(try await world.enroll(trainee, in: activity.id).decode(API.IpoEnrollment.self).id)
            }
            _ = try await world.request(
                .post,
                "/v1/ipo/activities/\(activity.id)/enrollments/\(ids[0])/cancel",
                as: trainees[0],
                body: "{}"
            )
            let takenSelf = try await world.request(
                .post,
                "/v1/ipo/activities/\(activity.id)/enrollments/\(ids[1])/decline",
                as: trainees[2]
            )
            let declined = try await world.request(
                .post,
                "/v1/ipo/activities/\(activity.id)/enrollments/\(ids[1])/decline",
                as: trainees[1]
            )
            let third = try await world.request(
                .get,
                "/v1/ipo/activities/\(activity.id)/enrollments/\(ids[2])",
                as: trainees[2]
            ).decode(API.IpoEnrollment.self)
            let again = try await world.request(
                .post,
                "/v1/ipo/activities/\(activity.id)/enrollments/\(ids[2])/decline",
                as: trainees[2]
            )

            #expect(takenSelf.status == .notFound || takenSelf.status == .forbidden)
            #expect(declined.status == .ok)
            #expect(try declined.decode(API.IpoEnrollment.self).status == .declined)
            #expect(third.status == .enrolled && third.declinable)
            #expect(again.status == .ok)
            #expect(try await world.ipoActivity(activity.id).enrolled == 0)
        }
    }

    @Test func requirementFirstPutsTraineesWhoStillNeedAnElectiveAheadAndSaysWhy() async throws {
        try await World.test { world in
            let needing = try await world.trainees(1)
            let early = try await Self.earlyStarter(world)
            let activity = try await world.ipoActivity(capacity: 1, rule: "requirement_first")
            let seat = try await world.enroll(world.otherTrainee, in: activity.id).decode(API.IpoEnrollment.self)
            let earlyPlace = try await world.enroll(early, in: activity.id).decode(API.IpoEnrollment.self)
            let needingPlace = try await world.enroll(needing[0], in: activity.id).decode(API.IpoEnrollment.self)
            let earlyNow = try await world.request(
                .get,
                "/v1/ipo/activities/\(activity.id)/enrollments/\(earlyPlace.id)",
                as: early
            ).decode(API.IpoEnrollment.self)

            _ = try await world.request(
                .post,
                "/v1/ipo/activities/\(activity.id)/enrollments/\(seat.id)/cancel",
                as: world.otherTrainee,
                body: "{}"
            )
            let promoted = try await world.request(
                .get,
                "/v1/ipo/activities/\(activity.id)/enrollments/\(needingPlace.id)",
                as: needing[0]
            ).decode(API.IpoEnrollment.self)

            #expect(earlyPlace.position == 1 && needingPlace.position == 1 && earlyNow.position == 2)
            #expect(promoted.status == .enrolled)
            #expect(promoted.promotionReason?.contains("Still needs an elective") == true)
        }
    }

    @Test func raisingTheCapacityPromotesAndLoweringItNeedsTheNamesOfWhoMovesBack() async throws {
        try await World.test { world in
            let trainees = try await world.trainees(4)
            let activity = try await world.ipoActivity(capacity: 2)
            var ids: [String] = []
            for trainee in trainees {
                ids.append(try await world.enroll(trainee, in: activity.id).decode(API.IpoEnrollment.self).id)
            }
            let raised = try await world.request(
                .patch,
                "/v1/ipo/activities/\(activity.id)",
                as: world.coordinator,
                body: #"{"capacity":3}"#,
                headers: Fixture.mergePatch(ifMatch: try await Self.etag(world, activity.id))
            )
            let etag = try await Self.etag(world, activity.id)
            let before = try await world.database.digest()
            let unnamed = try await world.request(
                .patch,
                "/v1/ipo/activities/\(activity.id)",
                as: world.coordinator,
                body: #"{"capacity":1}"#,
                headers: Fixture.mergePatch(ifMatch: etag)
            )
            let unchanged = try await world.database.digest() == before
            let lowered = try await world.request(
                .patch,
                "/v1/ipo/activities/\(activity.id)",
                as: world.coordinator,
                body: #"{"capacity":1,"move_to_waitlist":["\#(trainees[1].id)","\#(trainees[2].id)"]}"#,
                headers: Fixture.mergePatch(ifMatch: etag)
            )
            let moved = try await world.request(
                .get,
                "/v1/ipo/activities/\(activity.id)/enrollments/\(ids[2])",
                as: trainees[2]
            ).decode(API.IpoEnrollment.self)
            let last = try await world.request(
                .get,
                "/v1/ipo/activities/\(activity.id)/enrollments/\(ids[3])",
                as: trainees[3]
            ).decode(API.IpoEnrollment.self)

            #expect(raised.status == .ok)
            #expect(try raised.decode(API.IpoActivity.self).enrolled == 3)
            #expect(unnamed.status == .conflict)
            #expect(try unnamed.problem()._type == "https://dossier.example/problems/capacity-below-enrolled")
            #expect(unchanged)
            #expect(lowered.status == .ok)
            let after = try lowered.decode(API.IpoActivity.self)
            #expect(after.capacity == 1 && after.enrolled == 1 && after.waitlisted == 3)
            #expect(moved.status == .waitlisted && moved.position == 2)
            #expect(last.position == 3)
        }
    }

    @Test func aTraineeSeesTheirEnrollmentsAndACoordinatorEnrolsSomeoneElse() async throws {
        try await World.test { world in
            let activity = try await world.ipoActivity()
            let byCoordinator = try await world.request(
                .post,
                "/v1/ipo/activities/\(activity.id)/enrollments",
                as: world.coordinator,
                body: #"{"person_id":"\#(world.trainee.id)"}"#
            )
            let mine = try await world.request(.get, "/v1/people/\(world.trainee.id)/enrollments", as: world.trainee)
                .decode(API.IpoPersonEnrollmentList.self)
            let byTrainer = try await world.request(
                .get,
                "/v1/people/\(world.trainee.id)/enrollments",
                as: world.trainer
            )
            let byStranger = try await world.request(
                .get,
                "/v1/people/\(world.trainee.id)/enrollments",
                as: world.otherTrainee
            )
            let logged = try await world.accessLogRows(about: world.trainee.id).filter {
                $0.resource == "ipo_enrollment"
            }

            #expect(byCoordinator.status == .created)
            #expect(mine.items.map(\.title) == [activity.title] && mine.items.first?.enrollment.status == .enrolled)
            #expect(byTrainer.status == .ok)
            #expect(byStranger.status == .notFound)
            #expect(logged.map(\.rule) == ["supervisor:trainer"])
        }
    }

    /// Cancelling and declining need `ipo:write` and nothing else: the answer is the enrollment
    /// the change left, not a second read of the activity.
    @Test func aTokenWithOnlyIpoWriteCancelsAndDeclines() async throws {
        try await World.test { world in
            let activity = try await world.ipoActivity(capacity: 1)
            let seat = try await world.enroll(world.trainee, in: activity.id).decode(API.IpoEnrollment.self)
            let place = try await world.enroll(world.otherTrainee, in: activity.id).decode(API.IpoEnrollment.self)
            func writeOnly(_ actor: World.Actor) async throws -> World.Actor {
                let issued = try await world.request(
                    .post,
                    "/v1/tokens",
                    as: actor,
                    body: #"{"name":"ipo script","scopes":["ipo:write"]}"#
                ).decode(API.IssuedToken.self)
                return World.Actor(id: actor.id, token: issued.secret)
            }

            let cancelled = try await world.request(
                .post,
                "/v1/ipo/activities/\(activity.id)/enrollments/\(seat.id)/cancel",
                as: try await writeOnly(world.trainee),
                body: "{}"
            )
            let declined = try await world.request(
                .post,
                "/v1/ipo/activities/\(activity.id)/enrollments/\(place.id)/decline",
                as: try await writeOnly(world.otherTrainee)
            )

            #expect(cancelled.status == .ok, "\(String(buffer: cancelled.body))")
            #expect(try cancelled.decode(API.IpoEnrollment.self).waitlistRule == .firstCome)
            #expect(declined.status == .ok, "\(String(buffer: declined.body))")
            #expect(try declined.decode(API.IpoEnrollment.self).status == .declined)
        }
    }

    /// A trainee who started before 2025-03-01 needs no elective.
    static func earlyStarter(_ world: World) async throws -> World.Actor {
        let created = try await world.request(
            .post,
            "/v1/people",
            as: world.admin,
            body:
                #"{"name":"Vroege Starter","email":"early@dossier.test","roles":["trainee"],"trainee":{"start_date":"2024-09-01","expected_end_date":"2027-09-01","training_year":3,"site":"leiden"}}"#
        )
        precondition(created.status == .created, "fixture trainee: \(String(buffer: created.body))")
        return try await world.freshToken(email: "early@dossier.test", role: .trainee)
    }

    static func etag(_ world: World, _ activity: String) async throws -> String {
        try await world.request(.get, "/v1/ipo/activities/\(activity)", as: world.coordinator)
            .headers[.eTag] ?? ""
    }

    /// The digest events, oldest first, as `kind person`.
    static func events(_ world: World) async throws -> [String] {
        try await world.database.withOwnerClient { client in
            var events: [String] = []
            let rows = try await client.query(
                "SELECT kind, coalesce(person_id::text, '') FROM ipo_events ORDER BY occurred_at, id"
            )
            for try await (kind, person) in rows.decode((String, String).self) {
                events.append(person.isEmpty ? kind : "\(kind) \(person)")
            }
            return events
        }
    }
}
