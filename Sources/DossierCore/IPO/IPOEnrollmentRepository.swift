import Foundation
import PostgresNIO

/// SQL for enrollments and the waitlist. Every write here runs under the activity's row lock,
/// which the service takes first (`IPOActivityRepository.find(locking:)`).
public struct IPOEnrollmentRepository: Sendable {
    public init() {}

    /// An enrollment with what the trainee's list shows of its activity.
    public struct PersonEnrollment: Sendable {
        public let enrollment: IPOEnrollment
        public let title: String
        public let kind: IPOActivity.Kind
        public let startsAt: Date
        public let cancelled: Bool
        public let waitlistRule: IPOActivity.WaitlistRule
    }

    /// Inserts the enrollment unless the person holds a live one in the activity already
    /// (the partial unique index decides); false when they do.
    func insertUnlessLive(
        _ enrollment: IPOEnrollment,
        by requester: PersonID?,
        on connection: PostgresConnection
    ) async throws -> Bool {
        try await connection.query(
            """
            INSERT INTO ipo_enrollments (id, activity_id, person_id, status, requested_at, enrolled_at, requested_by)
            VALUES (\(enrollment.id.uuid), \(enrollment.activityID.uuid), \(enrollment.personID.uuid),
                    \(enrollment.status.rawValue), \(enrollment.requestedAt), \(enrollment.enrolledAt), \(requester?.uuid))
            ON CONFLICT (activity_id, person_id) WHERE status IN ('enrolled', 'waitlisted') DO NOTHING
            RETURNING id
            """,
            logger: PersonRepository.logger
        ).hasRow()
    }

    func find(_ id: IPOEnrollment.ID, on connection: PostgresConnection) async throws -> IPOEnrollment? {
        let rows = try await connection.query(
            "SELECT \(unescaped: Self.columns) FROM ipo_enrollments e WHERE e.id = \(id.uuid)",
            logger: PersonRepository.logger
        )
        return try await Self.enrollments(rows).first
    }

    /// The person's enrolled or waitlisted place in the activity, if any.
    func live(
        in activity: IPOActivity.ID,
        of person: PersonID,
        on connection: PostgresConnection
    ) async throws -> IPOEnrollment? {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.columns) FROM ipo_enrollments e
            WHERE e.activity_id = \(activity.uuid) AND e.person_id = \(person.uuid) AND e.status IN ('enrolled', 'waitlisted')
            """,
            logger: PersonRepository.logger
        )
        return try await Self.enrollments(rows).first
    }

    func list(
        activity: IPOActivity.ID,
        status: IPOEnrollment.Status?,
        page: PageRequest,
        on connection: PostgresConnection
    ) async throws -> [IPOEnrollment] {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.columns) FROM ipo_enrollments e
            WHERE e.activity_id = \(activity.uuid) AND (\(status?.rawValue)::text IS NULL OR e.status = \(status?.rawValue))
              AND (\(page.after)::uuid IS NULL OR e.id > \(page.after))
            ORDER BY e.id
            LIMIT \(page.limit + 1)
            """,
            logger: PersonRepository.logger
        )
        return try await Self.enrollments(rows)
    }

    func list(person: PersonID, page: PageRequest, on connection: PostgresConnection) async throws -> [PersonEnrollment]
    {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.columns), a.title, a.kind, a.starts_at, a.cancelled_at IS NOT NULL, a.waitlist_rule
            FROM ipo_enrollments e JOIN ipo_activities a ON a.id = e.activity_id
            WHERE e.person_id = \(person.uuid) AND (\(page.after)::uuid IS NULL OR e.id > \(page.after))
            ORDER BY e.id
            LIMIT \(page.limit + 1)
            """,
            logger: PersonRepository.logger
        )
        var found: [PersonEnrollment] = []
        for try await row in rows {
            let columns = row.makeRandomAccess()
            let count = columns.count
            found.append(
                PersonEnrollment(
                    enrollment: try Self.enrollment(row),
                    title: try columns[count - 5].decode(String.self),
                    kind: IPOActivity.Kind(rawValue: try columns[count - 4].decode(String.self)) ?? .elective,
                    startsAt: try columns[count - 3].decode(Date.self),
                    cancelled: try columns[count - 2].decode(Bool.self),
                    waitlistRule: IPOActivity.WaitlistRule(rawValue: try columns[count - 1].decode(String.self))
                        ?? .firstCome
                )
            )
        }
        return found
    }

    /// Everyone waiting for a seat, with what the waitlist rule orders by; in no particular order.
    func waitlist(of activity: IPOActivity.ID, on connection: PostgresConnection) async throws -> [IPOWaitlistCandidate]
    {
        let rows = try await connection.query(
            """
            SELECT e.id, e.person_id, e.queue, e.returned, e.requested_at, tp.start_date::text,
                   EXISTS (SELECT 1 FROM ipo_enrollments o JOIN ipo_activities oa ON oa.id = o.activity_id
                           WHERE o.person_id = e.person_id AND o.activity_id <> e.activity_id AND o.status = 'enrolled'
                             AND oa.kind = 'elective' AND oa.counts_toward_requirement AND oa.cancelled_at IS NULL)
            FROM ipo_enrollments e JOIN trainee_profiles tp ON tp.person_id = e.person_id
            WHERE e.activity_id = \(activity.uuid) AND e.status = 'waitlisted'
            """,
            logger: PersonRepository.logger
        )
        var candidates: [IPOWaitlistCandidate] = []
        for try await (id, person, queue, returned, requested, start, holds) in rows.decode(
            (UUID, UUID, Int64, Bool, Date, String, Bool).self
        ) {
            candidates.append(
                IPOWaitlistCandidate(
                    enrollmentID: .init(id),
                    personID: .init(person),
                    queue: queue,
                    returned: returned,
                    requestedAt: requested,
                    needsElective: IPORequirementRule.needsElective(
                        startDate: CalendarDate(start) ?? IPORequirementRule.extraActivityFrom,
                        holdsCountingElective: holds
                    )
                )
            )
        }
        return candidates
    }

    /// The enrolled trainees of an activity, by person.
    func seats(
        of activity: IPOActivity.ID,
        on connection: PostgresConnection
    ) async throws -> [PersonID: IPOEnrollment.ID] {
        let rows = try await connection.query(
            "SELECT person_id, id FROM ipo_enrollments WHERE activity_id = \(activity.uuid) AND status = 'enrolled'",
            logger: PersonRepository.logger
        )
        var seats: [PersonID: IPOEnrollment.ID] = [:]
        for try await (person, id) in rows.decode((UUID, UUID).self) { seats[PersonID(person)] = .init(id) }
        return seats
    }

    func promote(_ id: IPOEnrollment.ID, reason: String, at now: Date, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE ipo_enrollments SET status = 'enrolled', enrolled_at = \(now), promoted_at = \(now),
                promotion_reason = \(reason), returned = false
            WHERE id = \(id.uuid) AND status = 'waitlisted'
            """,
            logger: PersonRepository.logger
        )
    }

    func end(
        _ id: IPOEnrollment.ID,
        as status: IPOEnrollment.Status,
        reason: String?,
        by person: PersonID?,
        at now: Date,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            UPDATE ipo_enrollments SET status = \(status.rawValue), ended_at = \(now), end_reason = \(reason),
                ended_by = \(person?.uuid)
            WHERE id = \(id.uuid) AND status IN ('enrolled', 'waitlisted')
            """,
            logger: PersonRepository.logger
        )
    }

    /// Gives up the seats of `people` for the head of the waitlist.
    func moveToWaitlist(
        _ enrollments: [IPOEnrollment.ID],
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            UPDATE ipo_enrollments SET status = 'waitlisted', enrolled_at = NULL, promoted_at = NULL,
                promotion_reason = NULL, returned = true
            WHERE id = ANY(\(enrollments.map(\.uuid))::uuid[]) AND status = 'enrolled'
            """,
            logger: PersonRepository.logger
        )
    }

    static let columns = """
        e.id, e.activity_id, e.person_id, e.status, e.requested_at, e.enrolled_at, e.promoted_at, e.promotion_reason,
        e.ended_at, e.end_reason
        """

    static func enrollment(_ row: PostgresRow) throws -> IPOEnrollment {
        let columns = row.makeRandomAccess()
        return IPOEnrollment(
            id: .init(try columns[0].decode(UUID.self)),
            activityID: .init(try columns[1].decode(UUID.self)),
            personID: .init(try columns[2].decode(UUID.self)),
            status: IPOEnrollment.Status(rawValue: try columns[3].decode(String.self)) ?? .cancelled,
            requestedAt: try columns[4].decode(Date.self),
            enrolledAt: try columns[5].decode(Date?.self),
            promotedAt: try columns[6].decode(Date?.self),
            promotionReason: try columns[7].decode(String?.self),
            endedAt: try columns[8].decode(Date?.self),
            endReason: try columns[9].decode(String?.self)
        )
    }

    static func enrollments(_ rows: PostgresRowSequence) async throws -> [IPOEnrollment] {
        var enrollments: [IPOEnrollment] = []
        for try await row in rows { enrollments.append(try enrollment(row)) }
        return enrollments
    }
}
