import Foundation
import PostgresNIO

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
