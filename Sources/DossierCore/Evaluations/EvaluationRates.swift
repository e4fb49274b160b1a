import Foundation

/// Response rates over many evaluations, for coordinators: does the trainer evaluation move above
/// 37 %? Each row is a subject kind, teacher, site, group or month, over a period of days (by the
/// day an evaluation opened, Europe/Amsterdam), with the period of the same length before it.
public struct ResponseRateOverview: Sendable, Equatable {
    public enum Grouping: String, Sendable, CaseIterable {
        case subjectKind = "subject_kind"
        case teacher, site, group, month
    }

    public struct Counts: Sendable, Equatable {
        public let invited: Int
        /// Nil when fewer than `smallestCell` were invited: a small cell tells who answered.
        public let responded: Int?

        public var rate: Double? { responded.flatMap { ResponseRateOverview.percent($0, of: invited) } }

        init(invited: Int, responded: Int) {
            self.invited = invited
            self.responded = invited < ResponseRateOverview.smallestCell ? nil : responded
        }
    }

    public struct Row: Sendable, Equatable {
        public let key: String
        public let label: String
        public let current: Counts
        /// The period before (the month before, when grouped by month).
        public let previous: Counts?

        /// Percentage points against the previous period.
        public var change: Double? {
            guard let now = current.rate, let before = previous?.rate else { return nil }
            return ((now - before) * 10).rounded() / 10
        }
    }

    /// Responded as a percentage of invited, to one decimal; nil when nobody was invited.
    static func percent(_ responded: Int, of invited: Int) -> Double? {
        invited == 0 ? nil : (Double(responded) / Double(invited) * 1000).rounded() / 10
    }

    /// Cells with fewer invitations show no response count, as a report below its threshold does.
    public static let smallestCell = Evaluation.defaultMinimumResponses

    public let grouping: Grouping
    public let from: CalendarDate
    public let to: CalendarDate
    public let previousFrom: CalendarDate
    public let rows: [Row]
}

extension EvaluationService {
    /// The overview for `from...to` (default: the 365 days up to today); only evaluations that
    /// have opened count.
    public func responseRates(
        groupedBy grouping: ResponseRateOverview.Grouping,
        from: CalendarDate?,
        to: CalendarDate?,
        subjectKind: Evaluation.SubjectKind?,
        caller: Caller
    ) async throws -> ResponseRateOverview {
        _ = try AccessPolicy.decide(.listEvaluationResponseRates, caller: caller).rule(or: "evaluation")
        let now = clock.now()
        let to = to ?? CalendarDate(now)
        let from = from ?? to.adding(days: -364)
        guard from <= to, from.days(until: to) <= 3 * 366 else {
            throw DossierError.validation([
                FieldError("#/query/from", "must be on or before to, at most three years before")
            ])
        }
        let previousFrom =
            grouping == .month
            ? from.firstOfMonth.adding(days: -1).firstOfMonth : from.adding(days: -(from.days(until: to) + 1))
        let cells = try await database.read { connection in
            try await EvaluationRateRepository().cells(
                grouping,
                from: previousFrom,
                currentFrom: from,
                to: to,
                subjectKind: subjectKind,
                openedBy: now,
                on: connection
            )
        }
        let rows: [ResponseRateOverview.Row] = cells.filter { $0.current.invited > 0 }.map { cell in
            let previous: ResponseRateOverview.Counts? =
                if grouping == .month {
                    cells.first { $0.key == Self.month(before: cell.key) }?.current
                } else {
                    cell.previous.invited > 0 ? cell.previous : nil
                }
            return .init(key: cell.key, label: cell.label, current: cell.current, previous: previous)
        }
        return ResponseRateOverview(grouping: grouping, from: from, to: to, previousFrom: previousFrom, rows: rows)
    }

    private static func month(before key: String) -> String {
        guard let first = CalendarDate("\(key)-01") else { return "" }
        return String(first.adding(days: -1).description.prefix(7))
    }
}
