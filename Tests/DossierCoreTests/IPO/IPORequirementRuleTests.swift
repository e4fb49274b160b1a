import DossierCore
import Foundation
import Testing

@Suite("IPO requirement rule")
struct IPORequirementRuleTests {
    static let now = ISO8601DateFormatter().date(from: "2026-11-23T10:00:00Z")!

    static func trainee(start: String, end: String = "2028-03-01", year: Int = 2) -> TraineeProfile {
        TraineeProfile(
            startDate: CalendarDate(start)!,
            expectedEndDate: CalendarDate(end)!,
            trainingYear: year,
            site: .leiden,
            groupID: nil
        )
    }

    /// A participation whose activity ran `daysAgo` days ago (negative: in the future).
    static func part(
        _ kind: IPOActivity.Kind,
        daysAgo: Double,
        status: IPOEnrollment.Status = .enrolled,
        attended: Int = 0,
        sessions: Int = 1,
        counts: Bool = true,
        cancelled: Bool = false
    ) -> IPOParticipation {
        let starts = now.addingTimeInterval(-daysAgo * 86_400)
        return IPOParticipation(
            activityID: .generate(),
            title: kind.rawValue,
            kind: kind,
            countsTowardRequirement: counts,
            cancelled: cancelled,
            status: status,
            startsAt: starts,
            endsAt: starts.addingTimeInterval(8 * 3_600),
            sessions: sessions,
            attendedSessions: attended
        )
    }

    @Test func aTraineeWhoStartedBeforeMarch2025NeedsOnlyTheModule() {
        let done = IPORequirementRule.evaluate(
            Self.trainee(start: "2025-02-28"),
            [Self.part(.mandatoryModule, daysAgo: 30, attended: 4, sessions: 4)],
            now: Self.now
        )
        #expect(!done.extraActivityRequired && done.satisfied && done.status == .satisfied)
    }

    @Test func fromMarch2025OneCountingElectiveIsNeededToo() {
        let start = Self.trainee(start: "2025-03-01")
        let moduleOnly = IPORequirementRule.evaluate(
            start,
            [Self.part(.mandatoryModule, daysAgo: 30, attended: 4, sessions: 4)],
            now: Self.now
        )
        let notCounting = IPORequirementRule.evaluate(
            start,
            [
                Self.part(.mandatoryModule, daysAgo: 30, attended: 4, sessions: 4),
                Self.part(.elective, daysAgo: 10, attended: 1, counts: false),
            ],
            now: Self.now
        )
        let both = IPORequirementRule.evaluate(
            start,
            [
                Self.part(.mandatoryModule, daysAgo: 30, attended: 4, sessions: 4),
                Self.part(.elective, daysAgo: 10, attended: 1),
            ],
            now: Self.now
        )
        #expect(moduleOnly.extraActivityRequired && !moduleOnly.satisfied && moduleOnly.status == .notPlanned)
        #expect(!notCounting.satisfied)
        #expect(both.satisfied && both.completedElectives.count == 1 && both.dueBy.description == "2028-03-01")
    }

    @Test func anActivityIsCompletedOnlyByAttendingEverySessionOfOneThatWasNotCancelled() {
        let start = Self.trainee(start: "2024-01-01")
        let missedADay = IPORequirementRule.evaluate(
            start,
            [Self.part(.mandatoryModule, daysAgo: 30, attended: 3, sessions: 4)],
            now: Self.now
        )
        let cancelled = IPORequirementRule.evaluate(
            start,
            [Self.part(.mandatoryModule, daysAgo: 30, attended: 4, sessions: 4, cancelled: true)],
            now: Self.now
        )
        #expect(missedADay.mandatoryModule == .missing && !missedADay.satisfied)
        #expect(cancelled.mandatoryModule == .missing)
    }

    @Test func aSeatInAFutureActivityIsOnTrackAWaitlistPlaceIsNot() {
        let start = Self.trainee(start: "2025-09-01")
        let seats = IPORequirementRule.evaluate(
            start,
            [Self.part(.mandatoryModule, daysAgo: -20), Self.part(.elective, daysAgo: -40)],
            now: Self.now
        )
        let waiting = IPORequirementRule.evaluate(
            start,
            [Self.part(.mandatoryModule, daysAgo: -20), Self.part(.elective, daysAgo: -40, status: .waitlisted)],
            now: Self.now
        )
        #expect(seats.status == .onTrack && seats.mandatoryModule == .enrolled)
        #expect(waiting.status == .notPlanned && waiting.plannedElectives.map(\.state) == [.waitlisted])
    }

    @Test func yearThreeOrWithinAYearOfTheEndWithNothingPlannedIsAtRisk() {
        let yearThree = IPORequirementRule.evaluate(Self.trainee(start: "2025-03-01", year: 3), [], now: Self.now)
        let nearTheEnd = IPORequirementRule.evaluate(
            Self.trainee(start: "2025-03-01", end: "2027-11-01"),
            [],
            now: Self.now
        )
        let early = IPORequirementRule.evaluate(Self.trainee(start: "2025-03-01", end: "2028-03-01"), [], now: Self.now)
        #expect(yearThree.status == .atRisk)
        #expect(nearTheEnd.status == .atRisk)
        #expect(early.status == .notPlanned)
    }
}
