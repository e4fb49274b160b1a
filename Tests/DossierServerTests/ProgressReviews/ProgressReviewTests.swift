import DossierAPI
import DossierCore
import Foundation
import HummingbirdTesting
import Testing

@Suite struct ProgressReviewTests {
    @Test func theAuthorEditsUntilSigningAfterWhichOnlyAnAmendmentCorrectsIt() async throws {
        try await World.test { world in
            let portfolio = try await world.portfolio()
            let created = try await world.progressReview(portfolio)
            let record = try created.decode(API.ProgressRecord.self)
            let path = "/v1/progress-reviews/\(record.id)"
            let edited = try await world.request(
                .patch,
                path,
                as: world.trainer,
                body: #"{"summary":"Op koers, aandacht voor planning."}"#,
                headers: Fixture.mergePatch(ifMatch: try #require(created.headers[.eTag]))
            )
            let signed = try await world.request(.post, "\(path)/sign", as: world.trainer).decode(
                API.ProgressRecord.self
            )
            let signedETag = try #require(try await world.request(.get, path, as: world.trainer).headers[.eTag])
            let before = try await world.database.digest()
            let editAfter = try await world.request(
                .patch,
                path,
                as: world.trainer,
                body: #"{"summary":"stil veranderd"}"#,
                headers: Fixture.mergePatch(ifMatch: signedETag)
            )
            let signAgain = try await world.request(.post, "\(path)/sign", as: world.trainer)
            let unchanged = try await world.database.digest() == before
            let amendment = try await world.request(
                .post,
                "\(path)/amendments",
                as: world.trainer,
                body: #"{"reason":"Verkeerde datum","held_on":"2025-06-04","answers":\#(Fixture.review)}"#
            ).decode(API.ProgressRecord.self)
            let all = try await world.request(.get, "/v1/portfolios/\(portfolio)/progress-reviews", as: world.trainee)
                .decode(API.ProgressRecordList.self)

            #expect(try edited.decode(API.ProgressRecord.self).summary == "Op koers, aandacht voor planning.")
            #expect(signed.signed && signed.signedBy == world.trainer.id)
            #expect(editAfter.status == .conflict)
            #expect(try editAfter.problem()._type == "https://dossier.example/problems/progress-record-signed")
            #expect(signAgain.status == .conflict)
            #expect(unchanged)
            #expect(amendment.amends == record.id && amendment.amendReason == "Verkeerde datum" && !amendment.signed)
            #expect(all.items.map(\.id) == [record.id, amendment.id])
        }
    }

    @Test func aSignedRecordCannotChangeEvenBehindTheServicesBack() async throws {
        try await World.test { world in
            let portfolio = try await world.portfolio()
            let record = try await world.progressReview(portfolio).decode(API.ProgressRecord.self)
            _ = try await world.request(.post, "/v1/progress-reviews/\(record.id)/sign", as: world.trainer)

            let refused = await #expect(throws: (any Error).self) {
                try await world.database.withAppClient { client in
                    try await client.query(
                        "UPDATE progress_records SET summary = 'x' WHERE id = \(UUID(uuidString: record.id)!)"
                    )
                }
            }

            #expect(String(reflecting: refused).contains("signed"))
        }
    }

    @Test func supervisorsWriteReviewsAndAdviceAndCoordinatorsDecide() async throws {
        try await World.test { world in
            let portfolio = try await world.portfolio()
            let path = "/v1/portfolios/\(portfolio)/progress-reviews"
            let decision =
                #"{"kind":"decision","held_on":"2026-11-20","answers":{"decision":"continue","rationale":"Voldoende."}}"#
            let advice =
                #"{"kind":"advice","held_on":"2026-11-20","answers":{"advice":"on_track","rationale":"Goed."}}"#
            let before = try await world.database.digest()

            let byTrainee = try await world.request(.post, path, as: world.trainee, body: advice)
            let decisionByTrainer = try await world.request(.post, path, as: world.trainer, body: decision)
            let adviceByCoordinator = try await world.request(.post, path, as: world.coordinator, body: advice)
            let unchanged = try await world.database.digest() == before
            let adviceByTrainer = try await world.request(.post, path, as: world.trainer, body: advice)
            let decided = try await world.request(.post, path, as: world.coordinator, body: decision)
            let bad = try await world.request(
                .post,
                path,
                as: world.coordinator,
                body: #"{"kind":"verdict","held_on":"2026-11-20","answers":{}}"#
            )

            #expect(byTrainee.status == .forbidden)
            #expect(decisionByTrainer.status == .forbidden)
            #expect(adviceByCoordinator.status == .forbidden)
            #expect(unchanged)
            #expect(adviceByTrainer.status == .created)
            #expect(try decided.decode(API.ProgressRecord.self).formKey == "progress-decision")
            #expect(try bad.problem().errors?.map(\.pointer) == ["/kind"])
        }
    }

    @Test func theScheduleAndTheOverdueListComeFromTheStartDateAndSignedReviews() async throws {
        try await World.test { world in
            let portfolio = try await world.portfolio()
            let record = try await world.progressReview(portfolio).decode(API.ProgressRecord.self)
            let unsignedSchedule = try await world.request(
                .get,
                "/v1/portfolios/\(portfolio)/progress-review-schedule",
                as: world.trainee
            ).decode(API.ProgressReviewSchedule.self)
            _ = try await world.request(.post, "/v1/progress-reviews/\(record.id)/sign", as: world.trainer)

            let schedule = try await world.request(
                .get,
                "/v1/portfolios/\(portfolio)/progress-review-schedule",
                as: world.trainer
            ).decode(API.ProgressReviewSchedule.self)
            let overdue = try await world.request(.get, "/v1/progress-reviews:overdue", as: world.coordinator)
                .decode(API.OverdueProgressReviewList.self)
            let byTrainer = try await world.request(.get, "/v1/progress-reviews:overdue", as: world.trainer)

            #expect(unsignedSchedule.items.first?.status == .overdue)
            #expect(schedule.startDate == "2025-03-01" && schedule.endDate == "2028-03-01")
            #expect(schedule.items.count == 12)
            #expect(schedule.items.prefix(3).map(\.dueOn) == ["2025-06-01", "2025-09-01", "2025-12-01"])
            #expect(
                schedule.items.prefix(7).map(\.status.rawValue) == ["held"] + Array(repeating: "overdue", count: 5) + [
                    "upcoming"
                ]
            )
            #expect(schedule.items.first?.reviewId == record.id)
            let anna = try #require(overdue.items.first { $0.traineeId == world.trainee.id })
            #expect(anna.dueOn == "2025-09-01" && anna.daysOverdue == 448)
            #expect(overdue.items.map(\.traineeId).contains(world.otherTrainee.id))
            #expect(byTrainer.status == .forbidden)
            let rows = try await world.accessLogRows(about: world.otherTrainee.id)
            #expect(rows.filter { $0.resource == "progress_review_schedule" }.map(\.rule) == ["coordinator"])
        }
    }
}
