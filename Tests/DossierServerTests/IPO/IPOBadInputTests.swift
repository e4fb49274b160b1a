import DossierAPI
import DossierCore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Every refusal of the IPO API: its status, problem type and pointer, and that nothing changed.
@Suite struct IPOBadInputTests {
    static let window = #""enrollment_opens_at":"2026-11-20T08:00:00Z","enrollment_closes_at":"2026-12-01T08:00:00Z""#

    static func activity(
        _ fields: String = "",
        title: String = "IPO ouderen",
        capacity: String = "12",
        sessions: String = #"[{"date":"2026-12-10","start_time":"09:00","end_time":"17:00","site":"leiden"}]"#
    ) -> String {
        #"{"title":"\#(title)","kind":"elective","capacity":\#(capacity),"sessions":\#(sessions),\#(window)\#(fields)}"#
    }

    @Test(
        arguments: [
            (activity(capacity: "0"), "/capacity"),
            (activity(capacity: "-3"), "/capacity"),
            (activity(capacity: "4294967296"), "/capacity"),
            (activity(title: String(repeating: "a", count: 201)), "/title"),
            (activity(title: #"nul\u0000"#), "/title"),
            (activity(#","partner_professions":["\#(String(repeating: "p", count: 101))"]"#), "/partner_professions/0"),
            (activity(#","evaluation_form_key":"kba""#), "/evaluation_form_key"),
            (activity(#","cancellation_deadline":"2026-12-11T08:00:00Z""#), "/cancellation_deadline"),
            (
                activity(
                    sessions:
                        #"[{"date":"2026-12-10","start_time":"09:00","end_time":"17:00","site":"leiden"},{"date":"2026-12-03","start_time":"09:00","end_time":"12:00","site":"online"}]"#
                ),
                "/sessions/1"
            ),
            (
                activity(
                    sessions:
                        #"[{"date":"2026-12-10","start_time":"09:00","end_time":"13:00","site":"leiden"},{"date":"2026-12-10","start_time":"12:00","end_time":"16:00","site":"leiden"}]"#
                ),
                "/sessions/1"
            ),
            (
                activity(
                    sessions: #"[{"date":"2026-12-10","start_time":"17:00","end_time":"09:00","site":"leiden"}]"#
                ),
                "/sessions/0/end_time"
            ),
            (
                activity(
                    sessions: #"[{"date":"2026-02-30","start_time":"25:00","end_time":"09:00","site":"leiden"}]"#
                ),
                "/sessions/0/date"
            ),
            (activity("", sessions: "[]"), "/sessions"),
        ]
    )
    func aBadActivityIsRefusedByPointerAndNothingIsStored(body: String, pointer: String) async throws {
        try await World.test { world in
            let before = try await world.database.digest()

            let refused = try await world.request(.post, "/v1/ipo/activities", as: world.coordinator, body: body)

            #expect(refused.status == .unprocessableContent, "\(String(buffer: refused.body))")
            let problem = try refused.problem()
            #expect(problem.errors?.map(\.pointer).contains(pointer) == true, "\(problem.errors ?? [])")
            #expect(try await world.database.digest() == before)
        }
    }

    @Test func enrollingTwiceOutsideTheWindowOrInACancelledActivityIsAConflictThatChangesNothing() async throws {
        try await World.test { world in
            let open = try await world.ipoActivity()
            _ = try await world.enroll(world.trainee, in: open.id)
            let later = try await world.ipoActivity(title: "Later", opensAt: "2026-11-28T08:00:00Z")
            let cancelled = try await world.ipoActivity(title: "Cancelled")
            _ = try await world.request(
                .post,
                "/v1/ipo/activities/\(cancelled.id)/cancel",
                as: world.coordinator,
                body: #"{"reason":"Too few partner students"}"#
            )
            let before = try await world.database.digest()

            let twice = try await world.enroll(world.trainee, in: open.id)
            let early = try await world.enroll(world.trainee, in: later.id)
            let inCancelled = try await world.enroll(world.trainee, in: cancelled.id)
            let unchanged = try await world.database.digest() == before
            try await world.advance(by: 8 * 86_400, using: [world.otherTrainee])
            let beforeClose = try await world.database.digest()
            let afterClose = try await world.enroll(world.otherTrainee, in: open.id)

            #expect(twice.status == .conflict)
            #expect(try twice.problem()._type == "https://dossier.example/problems/already-enrolled")
            #expect(early.status == .conflict)
            let window = try early.problem()
            #expect(window._type == "https://dossier.example/problems/enrollment-window-closed")
            #expect(window.detail?.contains("2026-11-28T08:00:00Z") == true)
            #expect(inCancelled.status == .conflict)
            #expect(try inCancelled.problem()._type == "https://dossier.example/problems/activity-cancelled")
            #expect(afterClose.status == .conflict)
            #expect(try afterClose.problem()._type == "https://dossier.example/problems/enrollment-window-closed")
            #expect(unchanged)
            #expect(try await world.database.digest() == beforeClose)
        }
    }

    @Test func aStoppedTraineeOrSomeoneWhoIsNoTraineeDoesNotEnrol() async throws {
        try await World.test { world in
            let activity = try await world.ipoActivity()
            let stopped = try await world.request(
                .post,
                "/v1/people/\(world.otherTrainee.id)/completion",
                as: world.coordinator,
                body: #"{"completed_at":"2026-11-20","outcome":"stopped","reason":"Gestopt"}"#
            )
            let before = try await world.database.digest()

            let byStopped = try await world.request(
                .post,
                "/v1/ipo/activities/\(activity.id)/enrollments",
                as: world.coordinator,
                body: #"{"person_id":"\#(world.otherTrainee.id)"}"#
            )
            let trainerNamed = try await world.request(
                .post,
                "/v1/ipo/activities/\(activity.id)/enrollments",
                as: world.coordinator,
                body: #"{"person_id":"\#(world.trainer.id)"}"#
            )
            let otherForSomeone = try await world.request(
                .post,
                "/v1/ipo/activities/\(activity.id)/enrollments",
                as: world.trainee,
                body: #"{"person_id":"\#(world.otherTrainee.id)"}"#
            )

            #expect(stopped.status == .ok)
            #expect(byStopped.status == .conflict)
            #expect(try byStopped.problem()._type == "https://dossier.example/problems/trainee-not-active")
            #expect(try byStopped.problem().errors?.map(\.pointer) == ["/person_id"])
            #expect(trainerNamed.status == .unprocessableContent)
            #expect(try trainerNamed.problem().errors?.map(\.pointer) == ["/person_id"])
            #expect(otherForSomeone.status == .forbidden)
            #expect(try await world.database.digest() == before)
        }
    }

    @Test func afterTheDeadlineATraineeCannotCancelAndACoordinatorNeedsAReason() async throws {
        try await World.test { world in
            let activity = try await world.ipoActivity(extra: #","cancellation_deadline":"2026-11-25T08:00:00Z""#)
            let seat = try await world.enroll(world.trainee, in: activity.id).decode(API.IpoEnrollment.self)
            try await world.advance(by: 3 * 86_400, using: [world.trainee, world.coordinator])
            let path = "/v1/ipo/activities/\(activity.id)/enrollments/\(seat.id)/cancel"
            let before = try await world.database.digest()

            let byTrainee = try await world.request(.post, path, as: world.trainee, body: #"{"reason":"Ziek"}"#)
            let withoutReason = try await world.request(.post, path, as: world.coordinator, body: "{}")
            let unchanged = try await world.database.digest() == before
            let overridden = try await world.request(
                .post,
                path,
                as: world.coordinator,
                body: #"{"reason":"Dienst op de SEH, afgestemd met de opleider"}"#
            )

            #expect(byTrainee.status == .conflict)
            #expect(try byTrainee.problem()._type == "https://dossier.example/problems/cancellation-deadline-passed")
            #expect(try byTrainee.problem().detail?.contains("2026-11-25T08:00:00Z") == true)
            #expect(withoutReason.status == .conflict)
            #expect(try withoutReason.problem().errors?.map(\.pointer) == ["/reason"])
            #expect(unchanged)
            #expect(overridden.status == .ok)
            let ended = try overridden.decode(API.IpoEnrollment.self)
            #expect(ended.status == .cancelled && ended.endReason == "Dienst op de SEH, afgestemd met de opleider")
        }
    }

    @Test func aCapacityPatchOfZeroOrAnUnenrolledNameIsRefusedAndChangesNothing() async throws {
        try await World.test { world in
            let activity = try await world.ipoActivity(capacity: 2)
            _ = try await world.enroll(world.trainee, in: activity.id)
            _ = try await world.enroll(world.otherTrainee, in: activity.id)
            let etag = try await IPOEnrollmentTests.etag(world, activity.id)
            let before = try await world.database.digest()

            let zero = try await world.request(
                .patch,
                "/v1/ipo/activities/\(activity.id)",
                as: world.coordinator,
                body: #"{"capacity":0}"#,
                headers: Fixture.mergePatch(ifMatch: etag)
            )
            let stranger = try await world.request(
                .patch,
                "/v1/ipo/activities/\(activity.id)",
                as: world.coordinator,
                body: #"{"capacity":1,"move_to_waitlist":["\#(world.trainer.id)"]}"#,
                headers: Fixture.mergePatch(ifMatch: etag)
            )
            let stale = try await world.request(
                .patch,
                "/v1/ipo/activities/\(activity.id)",
                as: world.coordinator,
                body: #"{"capacity":5}"#,
                headers: Fixture.mergePatch(ifMatch: #""\#(activity.id)-1-0-0""#)
            )
            let kind = try await world.request(
                .patch,
                "/v1/ipo/activities/\(activity.id)",
                as: world.coordinator,
                body: #"{"kind":"mandatory_module"}"#,
                headers: Fixture.mergePatch(ifMatch: etag)
            )

            #expect(zero.status == .unprocessableContent)
            #expect(try zero.problem().errors?.map(\.pointer) == ["/capacity"])
            #expect(stranger.status == .unprocessableContent)
            #expect(try stranger.problem().errors?.map(\.pointer) == ["/move_to_waitlist/0"])
            #expect(stale.status == .preconditionFailed)
            #expect(kind.status == .unprocessableContent)
            #expect(try await world.database.digest() == before)
        }
    }

    @Test func aComplianceQueryOutsideTheContractIsRefusedByParameter() async throws {
        try await World.test { world in
            let year = try await world.request(.get, "/v1/ipo/compliance?training_year=4", as: world.coordinator)
            let status = try await world.request(.get, "/v1/ipo/compliance?status=late", as: world.coordinator)

            #expect(year.status == .unprocessableContent)
            #expect(try year.problem()._type == "https://dossier.example/problems/invalid-parameter")
            #expect(try year.problem().errors?.map(\.pointer) == ["#/query/training_year"])
            #expect(status.status == .unprocessableContent)
            #expect(try status.problem().errors?.map(\.pointer) == ["#/query/status"])
        }
    }

    @Test func attendanceBeforeTheSessionForSomeoneNotEnrolledOrFromAnUnknownLineRecordsNothing() async throws {
        try await World.test { world in
            let activity = try await world.ipoActivity()
            _ = try await world.enroll(world.trainee, in: activity.id)
            let session = try #require(activity.sessions.first).id
            let path = "/v1/ipo/activities/\(activity.id)/sessions/\(session)/attendance"
            let marks = #"{"records":[{"person_id":"\#(world.trainee.id)","attended":true}]}"#
            let early = try await world.request(.post, path, as: world.coordinator, body: marks)
            try await world.advance(by: 18 * 86_400, using: [world.coordinator])
            let before = try await world.database.digest()

            let notEnrolled = try await world.request(
                .post,
                path,
                as: world.coordinator,
                body:
                    #"{"records":[{"person_id":"\#(world.trainee.id)","attended":true},{"person_id":"\#(world.otherTrainee.id)","attended":true}]}"#
            )
            let unknownLine = try await world.request(
                .post,
                path,
                as: world.coordinator,
                body: "email,name,attended\r\nanna@dossier.test,Anna,yes\r\nnobody@dossier.test,Niemand,yes\r\n",
                headers: Fixture.csvType
            )
            let badMark = try await world.request(
                .post,
                path,
                as: world.coordinator,
                body: "person_id,attended\n\(world.trainee.id),maybe\n",
                headers: Fixture.csvType
            )

            #expect(early.status == .conflict)
            #expect(try early.problem()._type == "https://dossier.example/problems/session-not-held")
            #expect(notEnrolled.status == .unprocessableContent)
            #expect(try notEnrolled.problem().errors?.map(\.pointer) == ["/records/1/person_id"])
            #expect(unknownLine.status == .unprocessableContent)
            #expect(try unknownLine.problem().errors?.map(\.pointer) == ["/rows/3/email"])
            #expect(badMark.status == .unprocessableContent)
            #expect(try badMark.problem().errors?.map(\.pointer) == ["/rows/2/attended"])
            #expect(try await world.database.digest() == before)
        }
    }
}
