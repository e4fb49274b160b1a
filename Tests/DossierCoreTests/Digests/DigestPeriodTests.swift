import Foundation
import Testing

@testable import DossierCore

/// A digest's period in the person's own calendar, on ordinary days and the days the clocks change.
struct DigestPeriodTests {
    static func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    static func preferences(
        _ frequency: DigestPreferences.Frequency,
        weekday: Int? = nil,
        at minutes: Int
    )
        -> DigestPreferences
    {
        DigestPreferences(
            frequency: frequency,
            weekday: weekday,
            sendAt: minutes,
            timeZone: "Europe/Amsterdam",
            isDefault: false
        )
    }

    @Test func aDailyDigestIsDueAtItsLocalTimeOnBothDaysTheClocksChange() {
        let daily = Self.preferences(.daily, at: 7 * 60 + 30)
        // Spring forward: 07:30 CEST is 05:30 UTC.
        #expect(DigestPeriod.due(at: Self.at("2026-03-29T05:29:00Z"), for: daily)?.key == "2026-03-28")
        #expect(DigestPeriod.due(at: Self.at("2026-03-29T05:30:00Z"), for: daily)?.key == "2026-03-29")
        // Fall back: 07:30 CET is 06:30 UTC.
        #expect(DigestPeriod.latest(atOrBefore: Self.at("2026-10-25T06:29:00Z"), for: daily)?.key == "2026-10-24")
        #expect(
            DigestPeriod.due(at: Self.at("2026-10-25T06:30:00Z"), for: daily)?.dueAt == Self.at("2026-10-25T06:30:00Z")
        )
    }

    @Test func aTimeInTheSkippedHourStillGivesTheDayItsOneDigest() {
        let early = Self.preferences(.daily, at: 2 * 60 + 30)
        let period = DigestPeriod.due(at: Self.at("2026-03-29T06:00:00Z"), for: early)
        #expect(period?.key == "2026-03-29")
        #expect(period.map { $0.dueAt <= Self.at("2026-03-29T01:30:00Z") } == true)
    }

    @Test func aWeeklyDigestIsKeyedByTheISOWeekOfItsDay() {
        let thursday = Self.preferences(.weekly, weekday: 4, at: 18 * 60)
        #expect(DigestPeriod.due(at: Self.at("2026-12-03T17:00:00Z"), for: thursday)?.key == "2026-W49")
        #expect(DigestPeriod.due(at: Self.at("2026-12-03T16:59:00Z"), for: thursday) == nil)
        // The week of 2026-12-31 belongs to 2026; 2027-01-01 (a Friday) is in 2026-W53 too.
        #expect(DigestPeriod.latest(atOrBefore: Self.at("2027-01-01T12:00:00Z"), for: thursday)?.key == "2026-W53")
    }

    @Test func aDigestMoreThanADayLateIsNotCaughtUpAndOffIsNeverDue() {
        let monday = Self.preferences(.weekly, weekday: 1, at: 7 * 60 + 30)
        #expect(DigestPeriod.due(at: Self.at("2026-12-01T06:29:00Z"), for: monday)?.key == "2026-W49")
        #expect(DigestPeriod.due(at: Self.at("2026-12-01T06:31:00Z"), for: monday) == nil)
        #expect(DigestPeriod.due(at: Self.at("2026-12-01T06:31:00Z"), for: Self.preferences(.off, at: 0)) == nil)
    }
}
