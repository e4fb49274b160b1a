import Foundation
import PostgresNIO

/// SQL for what the requirement, compliance and statistics are computed from.
struct IPOReportRepository: Sendable {
    /// An active trainee as the compliance list shows them.
    struct Trainee: Sendable {
        let id: PersonID
        let name: String
        let profile: TraineeProfile
        let groupName: String?
    }

    /// Every live enrollment of `people`, with what the requirement rule reads of its activity.
    func participations(
        of people: [PersonID],
        on connection: PostgresConnection
    ) async throws -> [PersonID: [IPOParticipation]] {
        let rows = try await connection.query(
            """
            SELECT e.person_id, a.id, a.title, a.kind, a.counts_toward_requirement, a.cancelled_at IS NOT NULL, e.status,
                   a.starts_at, a.ends_at,
                   (SELECT count(*) FROM ipo_sessions s WHERE s.activity_id = a.id)::int,
                   (SELECT count(*) FROM ipo_attendance t WHERE t.enrollment_id = e.id AND t.attended)::int
            FROM ipo_enrollments e JOIN ipo_activities a ON a.id = e.activity_id
            WHERE e.person_id = ANY(\(people.map(\.uuid))::uuid[]) AND e.status IN ('enrolled', 'waitlisted')
            ORDER BY a.starts_at, a.id
            """,
            logger: PersonRepository.logger
        )
        var found: [PersonID: [IPOParticipation]] = [:]
        for try await (person, id, title, kind, counts, cancelled, status, starts, ends, sessions, attended)
            in rows.decode(
                (UUID, UUID, String, String, Bool, Bool, String, Date, Date, Int, Int).self
            )
        {
            found[PersonID(person), default: []].append(
                IPOParticipation(
                    activityID: .init(id),
                    title: title,
                    kind: IPOActivity.Kind(rawValue: kind) ?? .elective,
                    countsTowardRequirement: counts,
                    cancelled: cancelled,
                    status: IPOEnrollment.Status(rawValue: status) ?? .cancelled,
                    startsAt: starts,
                    endsAt: ends,
                    sessions: sessions,
                    attendedSessions: attended
                )
            )
        }
        return found
    }

    /// The active trainees of a group and training year (either optional), by id.
    func activeTrainees(
        group: GroupID?,
        trainingYear: Int?,
        on connection: PostgresConnection
    ) async throws -> [Trainee] {
        let rows = try await connection.query(
            """
            SELECT p.id, p.name, tp.start_date::text, tp.expected_end_date::text, tp.training_year::int, tp.site,
                   tp.group_id, g.name
            FROM trainee_profiles tp JOIN people p ON p.id = tp.person_id LEFT JOIN groups g ON g.id = tp.group_id
            WHERE tp.status = 'active' AND (\(group?.uuid)::uuid IS NULL OR tp.group_id = \(group?.uuid))
              AND (\(trainingYear)::int IS NULL OR tp.training_year = \(trainingYear))
            ORDER BY p.id
            """,
            logger: PersonRepository.logger
        )
        var trainees: [Trainee] = []
        for try await (id, name, start, end, year, site, group, groupName) in rows.decode(
            (UUID, String, String, String, Int, String, UUID?, String?).self
        ) {
            guard let start = CalendarDate(start), let end = CalendarDate(end) else { continue }
            trainees.append(
                Trainee(
                    id: PersonID(id),
                    name: name,
                    profile: TraineeProfile(
                        startDate: start,
                        expectedEndDate: end,
                        trainingYear: year,
                        site: Site(rawValue: site) ?? .leiden,
                        groupID: group.map(GroupID.init)
                    ),
                    groupName: groupName
                )
            )
        }
        return trainees
    }

    /// Per activity whose first session falls in the range: seats, marks, and the lead time in
    /// days of every enrollment requested before the first session.
    func statistics(
        from: CalendarDate?,
        to: CalendarDate?,
        kind: IPOActivity.Kind?,
        on connection: PostgresConnection
    ) async throws -> [IPOStatistics.ActivityFacts] {
        let rows = try await connection.query(
            """
            SELECT a.id, a.title, a.kind, (a.starts_at AT TIME ZONE 'Europe/Amsterdam')::date::text, a.capacity,
                   a.enrolled, a.waitlisted, a.cancelled_at IS NOT NULL,
                   (SELECT count(*) FROM ipo_attendance t JOIN ipo_sessions s ON s.id = t.session_id
                    WHERE s.activity_id = a.id)::int,
                   (SELECT count(*) FROM ipo_attendance t JOIN ipo_sessions s ON s.id = t.session_id
                    WHERE s.activity_id = a.id AND NOT t.attended)::int,
                   ARRAY(SELECT floor(extract(epoch FROM a.starts_at - e.requested_at) / 86400)::int
                         FROM ipo_enrollments e WHERE e.activity_id = a.id AND e.requested_at < a.starts_at
                         ORDER BY 1)
            FROM ipo_activities a
            WHERE (\(kind?.rawValue)::text IS NULL OR a.kind = \(kind?.rawValue))
              AND (\(from?.description)::date IS NULL
                   OR (a.starts_at AT TIME ZONE 'Europe/Amsterdam')::date >= \(from?.description)::date)
              AND (\(to?.description)::date IS NULL
                   OR (a.starts_at AT TIME ZONE 'Europe/Amsterdam')::date <= \(to?.description)::date)
            ORDER BY a.starts_at, a.id
            LIMIT 5000
            """,
            logger: PersonRepository.logger
        )
        var facts: [IPOStatistics.ActivityFacts] = []
        for try await (id, title, kind, starts, capacity, enrolled, waitlisted, cancelled, marks, absent, leads)
            in rows.decode((UUID, String, String, String, Int, Int, Int, Bool, Int, Int, [Int]).self)
        {
            facts.append(
                IPOStatistics.ActivityFacts(
                    activityID: .init(id),
                    title: title,
                    kind: IPOActivity.Kind(rawValue: kind) ?? .elective,
                    firstSessionOn: CalendarDate(starts) ?? IPORequirementRule.extraActivityFrom,
                    capacity: capacity,
                    enrolled: enrolled,
                    waitlisted: waitlisted,
                    cancelled: cancelled,
                    marks: marks,
                    absences: absent,
                    leadDays: leads
                )
            )
        }
        return facts
    }
}
