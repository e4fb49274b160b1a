import Foundation
import PostgresNIO

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

        public var rate: Double? {
            guard let responded, invited > 0 else { return nil }
            return (Double(responded) / Double(invited) * 1000).rounded() / 10
        }

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

/// The one statement behind the overview: assignments counted per group and period.
struct EvaluationRateRepository: Sendable {
    struct Cell: Sendable {
        let key: String
        let label: String
        let current: ResponseRateOverview.Counts
        let previous: ResponseRateOverview.Counts
    }

    func cells(
        _ grouping: ResponseRateOverview.Grouping,
        from: CalendarDate,
        currentFrom: CalendarDate,
        to: CalendarDate,
        subjectKind: Evaluation.SubjectKind?,
        openedBy now: Date,
        on connection: PostgresConnection
    ) async throws -> [Cell] {
        let group = grouping.rawValue
        let rows = try await connection.query(
            // Counted per evaluation first (and per respondent's site or group when grouped so),
            // then summed per row: the day and month are worked out once per evaluation, not per
            // assignment, which halved the time on the national year.
            """
            WITH picked AS (
                SELECT e.id, e.subject_kind, to_char(d.day, 'YYYY-MM') AS month,
                       d.day >= \(currentFrom.description)::date AS current
                FROM evaluations e
                CROSS JOIN LATERAL (SELECT (e.opens_at AT TIME ZONE 'Europe/Amsterdam')::date AS day) d
                WHERE e.opens_at <= \(now) AND d.day BETWEEN \(from.description)::date AND \(to.description)::date
                  AND (\(subjectKind?.rawValue)::text IS NULL OR e.subject_kind = \(subjectKind?.rawValue))
            ), counted AS (
                SELECT a.evaluation_id,
                       CASE \(group) WHEN 'site' THEN tp.site WHEN 'group' THEN tp.group_id::text END AS respondent,
                       count(*) AS invited, count(a.answered_on) AS responded
                FROM evaluation_assignments a
                LEFT JOIN trainee_profiles tp ON \(group) IN ('site', 'group') AND tp.person_id = a.person_id
                WHERE a.evaluation_id IN (SELECT id FROM picked)
                GROUP BY 1, 2
            )
            SELECT k.key, min(k.label),
                   coalesce(sum(c.invited) FILTER (WHERE e.current), 0)::int,
                   coalesce(sum(c.responded) FILTER (WHERE e.current), 0)::int,
                   coalesce(sum(c.invited) FILTER (WHERE NOT e.current), 0)::int,
                   coalesce(sum(c.responded) FILTER (WHERE NOT e.current), 0)::int
            FROM counted c
            JOIN picked e ON e.id = c.evaluation_id
            LEFT JOIN groups g ON \(group) = 'group' AND g.id::text = c.respondent
            LEFT JOIN evaluation_teachers t ON \(group) = 'teacher' AND t.evaluation_id = e.id
            LEFT JOIN people p ON \(group) = 'teacher' AND p.id = t.person_id
            CROSS JOIN LATERAL (
                SELECT CASE \(group)
                           WHEN 'subject_kind' THEN e.subject_kind
                           WHEN 'teacher' THEN t.person_id::text
                           WHEN 'site' THEN c.respondent
                           WHEN 'group' THEN c.respondent
                           WHEN 'month' THEN e.month
                       END AS key,
                       CASE \(group)
                           WHEN 'teacher' THEN p.name
                           WHEN 'group' THEN g.name
                           WHEN 'month' THEN e.month
                           WHEN 'site' THEN c.respondent
                           ELSE e.subject_kind
                       END AS label
            ) k
            WHERE k.key IS NOT NULL
            GROUP BY k.key
            ORDER BY k.key
            """,
            logger: PersonRepository.logger
        )
        var cells: [Cell] = []
        for try await (key, label, invited, responded, previousInvited, previousResponded) in rows.decode(
            (String, String?, Int, Int, Int, Int).self
        ) {
            cells.append(
                Cell(
                    key: key,
                    label: label ?? key,
                    current: .init(invited: invited, responded: responded),
                    previous: .init(invited: previousInvited, responded: previousResponded)
                )
            )
        }
        return cells
    }
}
