import Foundation

/// A recurring job, defined in code; its slots are keyed by the institute's local calendar so a
/// daily run happens once per local day, also on the days the clocks change.
public struct Schedule: Sendable {
    public enum Cadence: Sendable, Equatable {
        /// Once a day at a local wall-clock time.
        case daily(hour: Int, minute: Int)
        /// Every `minutes` minutes, aligned to the local hour.
        case every(minutes: Int)
    }

    public let name: String
    public let cadence: Cadence
    public let job: NewJob

    public init(name: String, cadence: Cadence, job: NewJob) {
        self.name = name
        self.cadence = cadence
        self.job = job
    }

    /// A slot: its key (`2026-11-20`, `2026-11-20T09:15`) and the instant it became due.
    public struct Slot: Sendable, Equatable {
        public let key: String
        public let at: Date
    }

    /// The slots due in `(now - catchUp, now]`: after downtime, a daily job catches up once, never N times.
    public func dueSlots(now: Date, catchUp: TimeInterval, zone: TimeZone = .institute) -> [Slot] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let earliest = now.addingTimeInterval(-catchUp)
        var slots: [Slot] = []
        switch cadence {
        case .daily(let hour, let minute):
            var day = CalendarDate(earliest, in: zone)
            let last = CalendarDate(now, in: zone)
            while day <= last {
                // The slot is the local date, so a day has one slot even when 02:30 does not exist
                // (the spring-forward) or happens twice (the autumn fall-back).
                let wallClock = DateComponents(
                    year: day.year,
                    month: day.month,
                    day: day.day,
                    hour: hour,
                    minute: minute
                )
                if let at = calendar.date(from: wallClock), at > earliest, at <= now {
                    slots.append(Slot(key: day.description, at: at))
                }
                day = day.adding(days: 1)
            }
        case .every(let minutes):
            // A frequent job catches up on its last missed slot only.
            let step = TimeInterval(minutes * 60)
            let earliest = max(earliest, now.addingTimeInterval(-step))
            var at = (earliest.timeIntervalSince1970 / step).rounded(.up) * step
            if at <= earliest.timeIntervalSince1970 { at += step }
            while at <= now.timeIntervalSince1970 {
                let instant = Date(timeIntervalSince1970: at)
                let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
                let key = String(
                    format: "%04d-%02d-%02dT%02d:%02d",
                    parts.year ?? 0,
                    parts.month ?? 0,
                    parts.day ?? 0,
                    parts.hour ?? 0,
                    parts.minute ?? 0
                )
                slots.append(Slot(key: key, at: instant))
                at += step
            }
        }
        return slots
    }

    /// What the worker runs: the daily retention plan at 02:30, the hourly housekeeping, and the
    /// fold of anonymous evaluation responses every five minutes (a response waits sealed in the
    /// inbox until its batch reaches the threshold or the evaluation closes).
    public static let standard: [Schedule] = [
        Schedule(
            name: "retention.plan",
            cadence: .daily(hour: 2, minute: 30),
            job: NewJob(queue: .retention, kind: "retention.plan")
        ),
        Schedule(name: "job.prune", cadence: .every(minutes: 60), job: NewJob(kind: "job.prune")),
        Schedule(name: "evaluation.fold", cadence: .every(minutes: 5), job: NewJob(kind: "evaluation.fold")),
    ]

    /// With mail configured: the digest plan every 15 minutes (each person is due at their own
    /// local time; the plan finds who is).
    public static let mail: [Schedule] = [
        Schedule(name: "digest.plan", cadence: .every(minutes: 15), job: NewJob(queue: .mail, kind: "digest.plan"))
    ]
}
