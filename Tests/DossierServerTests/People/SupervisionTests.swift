import DossierAPI
import Foundation
import HummingbirdTesting
import Testing

@Suite struct SupervisionTests {
    @Test(
        arguments: [
            ("{trainer}", "{trainee}", "2025-06-01", "2025-12-31", 409, "overlapping-supervision", "/valid_from"),
            ("{trainer}", "{teacher}", "2026-01-01", nil, 422, "validation-failed", "/trainee_id"),
            ("{teacher}", "{other}", "2026-01-01", nil, 422, "validation-failed", "/supervisor_id"),
            ("{trainer}", "{other}", "2026-02-01", "2026-01-01", 422, "validation-failed", "/valid_until"),
            ("{trainer}", "{other}", "2026-02-30", nil, 422, "validation-failed", "/valid_from"),
        ] as [(String, String, String, String?, Int, String, String)]
    )
    func aBadSupervisionIsRefusedAndNothingChanges(
        supervisor: String,
        trainee: String,
        from: String,
        until: String?,
        status: Int,
        slug: String,
        pointer: String
    ) async throws {
        try await World.test { world in
            func id(_ placeholder: String) -> String {
                [
                    "{trainer}": world.trainer.id, "{teacher}": world.teacher.id, "{trainee}": world.trainee.id,
                    "{other}": world.otherTrainee.id,
                ][placeholder] ?? placeholder
            }
            let untilJSON = until.map { #","valid_until":"\#($0)""# } ?? ""
            let body =
                #"{"kind":"trainer","supervisor_id":"\#(id(supervisor))","trainee_id":"\#(id(trainee))","valid_from":"\#(from)"\#(untilJSON)}"#
            let before = try await world.database.digest()

            let response = try await world.request(.post, "/v1/supervisions", as: world.coordinator, body: body)

            #expect(Int(response.status.code) == status)
            #expect(try response.problem()._type == "https://dossier.example/problems/\(slug)")
            #expect(try response.problem().errors?.map(\.pointer) == [pointer])
            #expect(try await world.database.digest() == before)
        }
    }

    @Test func aSupervisionAfterTheEndOfTheLastOneIsAccepted() async throws {
        try await World.test { world in
            let body =
                #"{"kind":"trainer","supervisor_id":"\#(world.formerTrainer.id)","trainee_id":"\#(world.trainee.id)","valid_from":"2026-03-02"}"#

            let response = try await world.request(.post, "/v1/supervisions", as: world.coordinator, body: body)
            let read = try await world.request(.get, "/v1/people/\(world.trainee.id)", as: world.formerTrainer)

            #expect(response.status == .created)
            #expect(read.status == .ok)
        }
    }

    @Test func aTraineeSeesTheirOwnSupervisionsAndATrainerTheirs() async throws {
        try await World.test { world in
            let asTrainee = try await world.request(.get, "/v1/supervisions", as: world.trainee).decode(
                API.SupervisionList.self
            )
            let asOther = try await world.request(.get, "/v1/supervisions", as: world.otherTrainee).decode(
                API.SupervisionList.self
            )
            let asTrainer = try await world.request(.get, "/v1/supervisions", as: world.trainer).decode(
                API.SupervisionList.self
            )
            let active = try await world.request(.get, "/v1/supervisions?active=true", as: world.coordinator)
                .decode(API.SupervisionList.self)

            #expect(asTrainee.items.count == 2)
            #expect(asOther.items.isEmpty)
            #expect(asTrainer.items.map(\.supervisorId) == [world.trainer.id])
            #expect(active.items.map(\.supervisorId) == [world.trainer.id])
        }
    }

    @Test func aGroupNamesOnlyTeachersAndListsItsMembers() async throws {
        try await World.test { world in
            let bad = try await world.request(
                .post,
                "/v1/groups",
                as: world.coordinator,
                body:
                    #"{"name":"Jaar 1","kind":"year","training_year":1,"site":"leiden","teacher_ids":["\#(world.trainer.id)"]}"#
            )
            let group = try await world.request(
                .post,
                "/v1/groups",
                as: world.coordinator,
                body:
                    #"{"name":"Flex","kind":"flex","training_year":1,"site":"leiden","teacher_ids":["\#(world.teacher.id)"]}"#
            ).decode(API.Group.self)

            #expect(bad.status == .unprocessableContent)
            #expect(try bad.problem().errors?.map(\.pointer) == ["/teacher_ids/0"])
            #expect(group.teacherIds == [world.teacher.id])
            #expect(group.memberIds.isEmpty)
            #expect(
                try await world.request(.get, "/v1/groups/\(group.id)", as: world.trainee).decode(API.Group.self)
                    == group
            )
            #expect(try await world.request(.get, "/v1/groups/not-a-uuid", as: world.trainee).status == .notFound)
        }
    }
}
