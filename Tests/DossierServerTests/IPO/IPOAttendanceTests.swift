import DossierAPI
import DossierCore
import DossierTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Attendance, and what it adds up to: completion, the requirement, compliance, statistics and
/// the evaluation of the activity.
@Suite struct IPOAttendanceTests {
    /// The mandatory module over two days with an evaluation form, and an elective.
    static func plan(_ world: World) async throws -> (module: API.IpoActivity, elective: API.IpoActivity) {
        let module = try await world.ipoActivity(
            title: "IPO ouderenzorg",
            kind: "mandatory_module",
            capacity: 20,
            sessions: [("2026-12-08", "09:00", "17:00"), ("2026-12-09", "09:00", "17:00")],
            evaluationForm: "education-moment-evaluation"
        )
        let elective = try await world.ipoActivity(title: "Medicatieveiligheid")
        return (module, elective)
    }

    @Test func attendingEverySessionCompletesTheRequirementAndTheLastSessionAssignsTheEvaluation() async throws {
        try await World.test { world in
            let (module, elective) = try await Self.plan(world)
            for activity in [module.id, elective.id] { _ = try await world.enroll(world.trainee, in: activity) }
            _ = try await world.enroll(world.otherTrainee, in: elective.id)
            let before = try await world.request(
                .get,
                "/v1/people/\(world.trainee.id)/ipo-requirement",
                as: world.trainee
            )
            .decode(API.IpoRequirement.self)
            try await world.advance(by: 18 * 86_400, using: [world.coordinator, world.trainee, world.otherTrainee])

            let day1 = try await world.request(
                .post,
                "/v1/ipo/activities/\(module.id)/sessions/\(module.sessions[0].id)/attendance",
                as: world.coordinator,
                body: #"{"records":[{"person_id":"\#(world.trainee.id)","attended":true}]}"#
            ).decode(API.IpoAttendance.self)
            let day2 = try await world.request(
                .post,
                "/v1/ipo/activities/\(module.id)/sessions/\(module.sessions[1].id)/attendance",
                as: world.coordinator,
                body: "naam,email,handtekening\r\nAnna Aios,Anna@Dossier.test,AA\r\n",
                headers: Fixture.csvType
            ).decode(API.IpoAttendance.self)
            let electiveMarks = try await world.request(
                .post,
                "/v1/ipo/activities/\(elective.id)/sessions/\(elective.sessions[0].id)/attendance",
                as: world.coordinator,
                body:
                    #"{"records":[{"person_id":"\#(world.trainee.id)","attended":true},{"person_id":"\#(world.otherTrainee.id)","attended":false}]}"#
            ).decode(API.IpoAttendance.self)
            let after = try await world.request(
                .get,
                "/v1/people/\(world.trainee.id)/ipo-requirement",
                as: world.trainer
            )
            .decode(API.IpoRequirement.self)
            let other = try await world.request(
                .get,
                "/v1/people/\(world.otherTrainee.id)/ipo-requirement",
                as: world.otherTrainee
            ).decode(API.IpoRequirement.self)
            let assigned = try await world.request(.get, "/v1/me/evaluations", as: world.trainee)
                .decode(API.MyEvaluationList.self)
            let evaluation = try await world.request(
                .get,
                "/v1/evaluations/\(day2.evaluationId ?? "none")",
                as: world.coordinator
            ).decode(API.Evaluation.self)
            let logged = try await world.accessLogRows(about: world.trainee.id).filter {
                $0.resource == "ipo_requirement"
            }

            #expect(before.status == .onTrack && before.mandatoryModule == .enrolled)
            #expect(before.extraActivityRequired && before.plannedElectives.map(\.title) == ["Medicatieveiligheid"])
            #expect(day1.marks.map(\.attended) == [true] && day1.evaluationId == nil)
            #expect(day2.marks.map(\.personId) == [world.trainee.id])
            #expect(electiveMarks.marks.count == 2)
            #expect(after.status == .satisfied && after.satisfied && after.mandatoryModule == .completed)
            #expect(after.completedElectives.map(\.on) == ["2026-12-10"] && after.dueBy == "2028-03-01")
            #expect(
                other.status == .notPlanned && other.mandatoryModule == .missing && other.completedElectives.isEmpty
            )
            #expect(assigned.items.map(\.evaluationId) == [day2.evaluationId].compactMap { $0 })
            #expect(evaluation.subject.kind == .ipoActivity && evaluation.state == .open && evaluation.anonymous)
            #expect(try await world.ipoActivity(module.id).evaluationId == day2.evaluationId)
            #expect(logged.map(\.rule) == ["supervisor:trainer"])
        }
    }

    @Test func complianceCountsPerGroupAndYearListsAsJSONOrCSVAndLogsEachTraineeListed() async throws {
        try await World.test { world in
            let (_, elective) = try await Self.plan(world)
            _ = try await world.enroll(world.trainee, in: elective.id)
            let late = try await IPOEnrollmentTests.earlyStarter(world)

            let page = try await world.request(.get, "/v1/ipo/compliance?limit=2", as: world.coordinator)
            let json = try page.decode(API.IpoCompliance.self)
            let next = try await world.request(
                .get,
                "/v1/ipo/compliance?limit=2&cursor=\(json.nextCursor ?? "")",
                as: world.coordinator
            ).decode(API.IpoCompliance.self)
            let atRisk = try await world.request(.get, "/v1/ipo/compliance?status=at_risk", as: world.coordinator)
                .decode(API.IpoCompliance.self)
            let csv = try await world.request(
                .get,
                "/v1/ipo/compliance?training_year=2",
                as: world.coordinator,
                headers: [.accept: "text/csv"]
            )
            let byTrainee = try await world.request(.get, "/v1/ipo/compliance", as: world.trainee)
            let lateLog = try await world.accessLogRows(about: late.id).filter { $0.resource == "ipo_requirement" }

            let listed = (json.items + next.items).map(\.personId)
            #expect(Set(listed) == Set([world.trainee.id, world.otherTrainee.id, late.id]) && listed.count == 3)
            #expect(json.summary.map(\.trainingYear).sorted() == [2, 3])
            let second = try #require(json.summary.first { $0.trainingYear == 2 })
            #expect(second.trainees == 2 && second.onTrack == 0 && second.notPlanned == 2)
            #expect(atRisk.items.map(\.personId) == [late.id])
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            let lines = String(buffer: csv.body).split(separator: "\r\n")
            #expect(lines.first?.hasPrefix("person_id,name,group,training_year,status") == true)
            #expect(lines.count == 3)
            #expect(byTrainee.status == .forbidden)
            #expect(lateLog.map(\.rule) == ["coordinator", "coordinator"])
        }
    }

    @Test func statisticsShowFillNoShowsAndHowLateTraineesEnrolled() async throws {
        try await World.test { world in
            let (_, elective) = try await Self.plan(world)
            _ = try await world.enroll(world.trainee, in: elective.id)
            try await world.advance(by: 5 * 86_400, using: [world.otherTrainee, world.coordinator])
            _ = try await world.enroll(world.otherTrainee, in: elective.id)
            try await world.advance(by: 13 * 86_400, using: [world.coordinator])
            _ = try await world.request(
                .post,
                "/v1/ipo/activities/\(elective.id)/sessions/\(elective.sessions[0].id)/attendance",
                as: world.coordinator,
                body:
                    #"{"records":[{"person_id":"\#(world.trainee.id)","attended":true},{"person_id":"\#(world.otherTrainee.id)","attended":false}]}"#
            )

            let statistics = try await world.request(.get, "/v1/ipo/statistics?kind=elective", as: world.narrowClient)
                .decode(API.IpoStatistics.self)

            let row = try #require(statistics.activities.first)
            #expect(statistics.activities.count == 1 && row.month == "2026-12")
            #expect(row.figures.fillRate == 20 && row.figures.noShowRate == 50 && row.figures.enrollments == 2)
            #expect(row.figures.lastMinuteShare == 50 && row.figures.medianLeadDays == 13.5)
            #expect(statistics.months.map(\.month) == ["2026-12"])
        }
    }
}
