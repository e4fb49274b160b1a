import DossierCore
import Foundation
import Testing

@Suite("Retention rules")
struct RetentionRulesTests {
    static let policy = RetentionPolicy(id: "default", version: 1, keepMonths: 24, downloadMonths: 6, graceDays: 14)

    static func date(_ text: String) -> CalendarDate { CalendarDate(text)! }

    @Test("A completion on 29 February 2024 is kept until 28 February 2026, hidden from the 15th, purged on 1 March")
    func aLeapDayCompletion() {
        let dates = RetentionDates(completedAt: Self.date("2024-02-29"), policy: Self.policy)

        #expect(dates.deleteAfter == Self.date("2026-02-28"))
        #expect(dates.hideOn == Self.date("2026-02-15"))
        #expect(dates.action(on: Self.date("2026-02-14")) == .keep)
        #expect(dates.action(on: Self.date("2026-02-15")) == .hide)
        #expect(dates.action(on: Self.date("2026-02-28")) == .hide)
        #expect(dates.action(on: Self.date("2026-03-01")) == .purge)
    }

    @Test("Day arithmetic crosses month and year ends and leap days")
    func dayArithmetic() {
        #expect(Self.date("2024-02-28").adding(days: 1) == Self.date("2024-02-29"))
        #expect(Self.date("2024-03-01").adding(days: -1) == Self.date("2024-02-29"))
        #expect(Self.date("2025-12-31").adding(days: 1) == Self.date("2026-01-01"))
        #expect(Self.date("2026-01-10").adding(days: -400) == Self.date("2024-12-06"))
    }

    @Test("The plan hides, purges and holds; it never touches active trainees or what is not yet due")
    func thePlan() {
        let hold = LegalHold(
            id: .generate(),
            scope: .trainee,
            subjectID: nil,
            reason: "case",
            caseReference: "C-1",
            placedBy: PersonID(UUID()),
            placedAt: Date()
        )
        func subject(_ completed: String?, hidden: Bool = false) -> RetentionSubject {
            RetentionSubject(
                portfolioID: .generate(),
                traineeID: PersonID(UUID()),
                completedAt: completed.map(Self.date),
                hidden: hidden
            )
        }
        let active = subject(nil)
        let downloadable = subject("2026-10-01")
        let closed = subject("2025-01-01")
        let inGrace = subject("2024-11-30")
        let alreadyHidden = subject("2024-11-30", hidden: true)
        let hiddenButCorrected = subject("2025-11-30", hidden: true)
        let due = subject("2024-01-10")
        let held = subject("2023-05-05")
        let heldHold = LegalHold(
            id: hold.id,
            scope: .trainee,
            subjectID: held.traineeID.uuid,
            reason: "case",
            caseReference: "C-1",
            placedBy: hold.placedBy,
            placedAt: hold.placedAt
        )

        let (candidates, windows, unhide) = RetentionPlanner.plan(
            [active, downloadable, closed, inGrace, alreadyHidden, hiddenButCorrected, due, held],
            holds: [heldHold],
            policy: Self.policy,
            today: Self.date("2026-11-23")
        )

        let planned = Dictionary(uniqueKeysWithValues: candidates.map { ($0.portfolioID, $0.planned) })
        #expect(planned == [inGrace.portfolioID: .hide, due.portfolioID: .purge, held.portfolioID: .held])
        #expect(candidates.first { $0.planned == .held }?.holdID == hold.id)
        #expect(windows == RetentionWindowCounts(active: 1, inDownloadWindow: 1, pastDownloadWindow: 4, due: 2))
        #expect(unhide == [hiddenButCorrected.portfolioID])
        #expect(RetentionPlanner.counts(candidates).disposals == 2)
    }

    @Test("Execution never goes further than the plan or the rule allow")
    func atMost() {
        #expect(RetentionAction.purge.atMost(.hide) == .hide)
        #expect(RetentionAction.hide.atMost(.purge) == .hide)
        #expect(RetentionAction.purge.atMost(.keep) == .keep)
    }
}

@Suite("Schedule slots")
struct ScheduleTests {
    static let daily = Schedule(name: "retention.plan", cadence: .daily(hour: 2, minute: 30), job: NewJob(kind: "x"))

    static func instant(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test(
        "A DST day in Europe/Amsterdam has exactly one daily slot",
        arguments: [
            ("2026-03-29T23:00:00Z", "2026-03-29"),
            ("2026-10-25T23:00:00Z", "2026-10-25"),
        ]
    )
    func dstDays(now: String, day: String) {
        let slots = Self.daily.dueSlots(now: Self.instant(now), catchUp: 23 * 3600)

        #expect(slots.map(\.key) == [day])
    }

    @Test("The slot on the spring-forward day lies after the gap, on the autumn day at its first 02:30")
    func dstInstants() {
        let spring = Self.daily.dueSlots(now: Self.instant("2026-03-29T12:00:00Z"), catchUp: 86_400)
        let autumn = Self.daily.dueSlots(now: Self.instant("2026-10-25T12:00:00Z"), catchUp: 86_400)

        #expect(spring.count == 1)
        #expect(spring[0].at >= Self.instant("2026-03-29T01:00:00Z"))
        #expect(spring[0].at <= Self.instant("2026-03-29T01:30:00Z"))
        #expect(autumn.map(\.at) == [Self.instant("2026-10-25T00:30:00Z")])
    }

    @Test("After three days down a daily job catches up once, not three times")
    func catchUpOnce() {
        let slots = Self.daily.dueSlots(now: Self.instant("2026-11-23T10:00:00Z"), catchUp: 86_400)

        #expect(slots.map(\.key) == ["2026-11-23"])
        #expect(
            Self.daily.dueSlots(now: Self.instant("2026-11-23T01:00:00Z"), catchUp: 86_400).map(\.key) == ["2026-11-22"]
        )
    }

    @Test("An hourly schedule names its slot by local time and catches up on the last missed slot only")
    func hourly() {
        let hourly = Schedule(name: "job.prune", cadence: .every(minutes: 60), job: NewJob(kind: "x"))

        let slots = hourly.dueSlots(now: Self.instant("2026-11-23T10:30:00Z"), catchUp: 86_400)

        #expect(slots.map(\.key) == ["2026-11-23T11:00"])
    }

    @Test("Backoff doubles from 15 seconds and stops at six hours")
    func backoff() {
        #expect(JobBackoff.delay(afterAttempt: 1, jitter: 1) == 15)
        #expect(JobBackoff.delay(afterAttempt: 3, jitter: 1) == 60)
        #expect(JobBackoff.delay(afterAttempt: 30, jitter: 1) == 6 * 3600)
    }
}
