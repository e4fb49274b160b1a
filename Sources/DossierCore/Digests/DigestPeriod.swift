import Foundation

/// The period a digest belongs to, in the person's own calendar: its key (`2026-11-20` for a daily
/// digest, `2026-W47` for a weekly one) makes the outbox row unique, so a person gets one digest
/// per period whatever the replicas, retries or preference changes do.
public struct DigestPeriod: Sendable, Equatable {
    public let key: String
    /// The instant it became due: the send time on its local day.
    public let dueAt: Date
    /// Where what happened "since the last digest" starts when there was none: one period back.
    public let start: Date

    /// A digest more than this late is not sent; the next period's is. A worker that was down for
    /// a weekend sends Monday's digest, not Saturday's and Sunday's as well.
    public static let catchUp: TimeInterval = 86_400

    /// The latest period due at `now` under `preferences`, when it fell due within the catch-up
    /// window; nil when the digest is off, or not due yet.
    public static func due(at now: Date, for preferences: DigestPreferences) -> DigestPeriod? {
        guard let period = latest(atOrBefore: now, for: preferences) else { return nil }
        return now.timeIntervalSince(period.dueAt) < catchUp ? period : nil
    }

    /// The latest period whose send time is at or before `now`, however long ago.
    public static func latest(atOrBefore now: Date, for preferences: DigestPreferences) -> DigestPeriod? {
        guard preferences.frequency != .off, let zone = TimeZone(identifier: preferences.timeZone) else { return nil }
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = zone
        let today = CalendarDate(now, in: zone)
        // Two weeks back reaches the latest weekly slot from any day; a daily one needs two days.
        for back in 0...14 {
            let day = today.adding(days: -back)
            if preferences.frequency == .weekly, isoWeekday(day, calendar) != preferences.weekday { continue }
            guard let dueAt = sendInstant(on: day, at: preferences.sendAt, calendar), dueAt <= now else { continue }
            let length = preferences.frequency == .weekly ? 7 : 1
            let start = sendInstant(on: day.adding(days: -length), at: preferences.sendAt, calendar) ?? dueAt
            return DigestPeriod(key: key(for: day, preferences.frequency, calendar), dueAt: dueAt, start: start)
        }
        return nil
    }

    /// The send time on a local day. On the spring-forward day a time in the skipped hour becomes
    /// the first valid instant after it, so the day still has its one digest.
    static func sendInstant(on day: CalendarDate, at minutes: Int, _ calendar: Calendar) -> Date? {
        calendar.date(
            from: DateComponents(
                year: day.year,
                month: day.month,
                day: day.day,
                hour: minutes / 60,
                minute: minutes % 60
            )
        )
    }

    static func isoWeekday(_ day: CalendarDate, _ calendar: Calendar) -> Int? {
        guard let noon = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 12))
        else { return nil }
        // Calendar numbers Sunday 1; ISO 8601 numbers Monday 1.
        return (calendar.component(.weekday, from: noon) + 5) % 7 + 1
    }

    static func key(for day: CalendarDate, _ frequency: DigestPreferences.Frequency, _ calendar: Calendar) -> String {
        guard frequency == .weekly,
            let noon = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 12))
        else { return day.description }
        let week = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: noon)
        return String(format: "%04d-W%02d", week.yearForWeekOfYear ?? 0, week.weekOfYear ?? 0)
    }
}
