import Foundation

/// Enrollment statistics per activity and per month of the first session: is enrollment getting
/// earlier, and are seats used (domain rule 3)?
public struct IPOStatistics: Sendable, Equatable {
    /// The share of enrollments made this close to the first session counts as last-minute.
    public static let lastMinuteDays = 14

    struct ActivityFacts: Sendable, Equatable {
        let activityID: IPOActivity.ID
        let title: String
        let kind: IPOActivity.Kind
        let firstSessionOn: CalendarDate
        let capacity: Int
        let enrolled: Int
        let waitlisted: Int
        let cancelled: Bool
        /// Attendance marks recorded, and how many of them were absences.
        let marks: Int
        let absences: Int
        /// Days from each enrollment request to the first session, ascending.
        let leadDays: [Int]
    }

    public struct Figures: Sendable, Equatable {
        public let activities: Int
        public let capacity: Int
        public let enrolled: Int
        public let waitlisted: Int
        /// Percent of seats taken; nil without seats.
        public let fillRate: Double?
        /// Percent of recorded marks that were absences; nil before any mark.
        public let noShowRate: Double?
        public let enrollments: Int
        public let medianLeadDays: Double?
        public let meanLeadDays: Double?
        /// Percent of enrollments made in the last 14 days before the first session.
        public let lastMinuteShare: Double?
    }

    public struct ActivityRow: Sendable, Equatable {
        public let activityID: IPOActivity.ID
        public let title: String
        public let kind: IPOActivity.Kind
        public let month: String
        public let cancelled: Bool
        public let figures: Figures
    }

    public struct MonthRow: Sendable, Equatable {
        public let month: String
        public let figures: Figures
    }

    public let activities: [ActivityRow]
    public let months: [MonthRow]

    static func make(_ facts: [ActivityFacts]) -> IPOStatistics {
        let rows = facts.map {
            ActivityRow(
                activityID: $0.activityID,
                title: $0.title,
                kind: $0.kind,
                month: month($0.firstSessionOn),
                cancelled: $0.cancelled,
                figures: figures([$0])
            )
        }
        let byMonth = Dictionary(grouping: facts.filter { !$0.cancelled }) { month($0.firstSessionOn) }
        let months = byMonth.keys.sorted().map { MonthRow(month: $0, figures: figures(byMonth[$0] ?? [])) }
        return IPOStatistics(activities: rows, months: months)
    }

    static func month(_ day: CalendarDate) -> String { String(day.description.prefix(7)) }

    private static func figures(_ facts: [ActivityFacts]) -> Figures {
        let capacity = facts.reduce(0) { $0 + $1.capacity }
        let enrolled = facts.reduce(0) { $0 + $1.enrolled }
        let marks = facts.reduce(0) { $0 + $1.marks }
        let absences = facts.reduce(0) { $0 + $1.absences }
        let leads = facts.flatMap(\.leadDays).sorted()
        let median: Double? =
            leads.isEmpty
            ? nil
            : leads.count % 2 == 1
                ? Double(leads[leads.count / 2]) : Double(leads[leads.count / 2 - 1] + leads[leads.count / 2]) / 2
        let mean = leads.isEmpty ? nil : Double(leads.reduce(0, +)) / Double(leads.count)
        let lastMinute = leads.filter { $0 < lastMinuteDays }.count
        return Figures(
            activities: facts.count,
            capacity: capacity,
            enrolled: enrolled,
            waitlisted: facts.reduce(0) { $0 + $1.waitlisted },
            fillRate: percent(enrolled, of: capacity),
            noShowRate: percent(absences, of: marks),
            enrollments: leads.count,
            medianLeadDays: median,
            meanLeadDays: mean.map { ($0 * 10).rounded() / 10 },
            lastMinuteShare: percent(lastMinute, of: leads.count)
        )
    }

    private static func percent(_ part: Int, of whole: Int) -> Double? {
        whole == 0 ? nil : (Double(part) * 1000 / Double(whole)).rounded() / 10
    }
}
