import Foundation
import PostgresNIO

/// SQL for activities and their sessions.
public struct IPOActivityRepository: Sendable {
    public init() {}

    public struct Filter: Sendable {
        /// Activities whose first session is on or after `from` and on or before `to` (Europe/Amsterdam).
        public var from: CalendarDate?
        public var to: CalendarDate?
        public var site: IPOActivity.Site?
        public var kind: IPOActivity.Kind?
        public var status: IPOActivity.Status?
        /// Only activities with a free seat (true) or only full ones (false).
        public var freeSeats: Bool?

        public init(
            from: CalendarDate? = nil,
            to: CalendarDate? = nil,
            site: IPOActivity.Site? = nil,
            kind: IPOActivity.Kind? = nil,
            status: IPOActivity.Status? = nil,
            freeSeats: Bool? = nil
        ) {
            self.from = from
            self.to = to
            self.site = site
            self.kind = kind
            self.status = status
            self.freeSeats = freeSeats
        }
    }

    func insert(_ activity: IPOActivity, by creator: PersonID?, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO ipo_activities (id, title, description, partner_professions, kind, capacity, enrollment_opens_at,
                                        enrollment_closes_at, cancellation_deadline, counts_toward_requirement,
                                        waitlist_rule, evaluation_form_key, starts_at, ends_at, created_by, created_at,
                                        updated_at)
            VALUES (\(activity.id.uuid), \(activity.title), \(activity.description), \(activity.partnerProfessions),
                    \(activity.kind.rawValue), \(activity.capacity), \(activity.enrollmentOpensAt),
                    \(activity.enrollmentClosesAt), \(activity.cancellationDeadline), \(activity.countsTowardRequirement),
                    \(activity.waitlistRule.rawValue), \(activity.evaluationFormKey), \(activity.startsAt),
                    \(activity.endsAt), \(creator?.uuid), \(activity.createdAt), \(activity.updatedAt))
            """,
            logger: PersonRepository.logger
        )
        try await insert(sessions: activity.sessions, of: activity.id, on: connection)
    }

    private func insert(
        sessions: [IPOActivity.Session],
        of activity: IPOActivity.ID,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO ipo_sessions (id, activity_id, number, starts_at, ends_at, site)
            SELECT id, \(activity.uuid), number, starts_at, ends_at, site
            FROM unnest(\(sessions.map(\.id.uuid))::uuid[], \(sessions.map(\.number))::int[],
                        \(sessions.map(\.startsAt))::timestamptz[], \(sessions.map(\.endsAt))::timestamptz[],
                        \(sessions.map(\.site.rawValue))::text[]) AS s (id, number, starts_at, ends_at, site)
            """,
            logger: PersonRepository.logger
        )
    }

    /// Replaces the sessions of an activity that has no attendance recorded.
    func replace(
        sessions: [IPOActivity.Session],
        of activity: IPOActivity.ID,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            "DELETE FROM ipo_sessions WHERE activity_id = \(activity.uuid)",
            logger: PersonRepository.logger
        )
        try await insert(sessions: sessions, of: activity, on: connection)
    }

    /// The activity; `locking` takes its row lock, which every change of its seats holds until commit.
    public func find(
        _ id: IPOActivity.ID,
        locking: Bool = false,
        on connection: PostgresConnection
    ) async throws -> IPOActivity? {
        let rows =
            locking
            ? try await connection.query(
                "SELECT \(unescaped: Self.columns) FROM ipo_activities a WHERE a.id = \(id.uuid) FOR UPDATE",
                logger: PersonRepository.logger
            )
            : try await connection.query(
                "SELECT \(unescaped: Self.columns) FROM ipo_activities a WHERE a.id = \(id.uuid)",
                logger: PersonRepository.logger
            )
        return try await Self.activities(rows).first
    }

    /// A page in creation order.
    func list(
        _ filter: Filter,
        now: Date,
        page: PageRequest,
        on connection: PostgresConnection
    ) async throws -> [IPOActivity] {
        let status = filter.status?.rawValue
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.columns) FROM ipo_activities a
            WHERE (\(filter.kind?.rawValue)::text IS NULL OR a.kind = \(filter.kind?.rawValue))
              AND (\(filter.from?.description)::date IS NULL
                   OR (a.starts_at AT TIME ZONE 'Europe/Amsterdam')::date >= \(filter.from?.description)::date)
              AND (\(filter.to?.description)::date IS NULL
                   OR (a.starts_at AT TIME ZONE 'Europe/Amsterdam')::date <= \(filter.to?.description)::date)
              AND (\(filter.site?.rawValue)::text IS NULL OR EXISTS (
                    SELECT 1 FROM ipo_sessions s WHERE s.activity_id = a.id AND s.site = \(filter.site?.rawValue)))
              AND (\(filter.freeSeats)::boolean IS NULL
                   OR (\(filter.freeSeats) AND a.cancelled_at IS NULL AND a.enrolled < a.capacity)
                   OR (NOT \(filter.freeSeats) AND (a.cancelled_at IS NOT NULL OR a.enrolled >= a.capacity)))
              AND (\(status)::text IS NULL
                   OR (\(status) = 'cancelled' AND a.cancelled_at IS NOT NULL)
                   OR (a.cancelled_at IS NULL AND (
                        (\(status) = 'planned' AND a.enrollment_opens_at > \(now))
                     OR (\(status) = 'open' AND a.enrollment_opens_at <= \(now) AND a.enrollment_closes_at > \(now))
                     OR (\(status) = 'closed' AND a.enrollment_closes_at <= \(now)))))
              AND (\(page.after)::uuid IS NULL OR a.id > \(page.after))
            ORDER BY a.id
            LIMIT \(page.limit + 1)
            """,
            logger: PersonRepository.logger
        )
        return try await Self.activities(rows)
    }

    /// Writes the changed fields if the version is still `expectedVersion`; false when stale.
    func update(
        _ activity: IPOActivity,
        expectedVersion: Int,
        at now: Date,
        on connection: PostgresConnection
    ) async throws -> Bool {
        let rows = try await connection.query(
            """
            UPDATE ipo_activities SET title = \(activity.title), description = \(activity.description),
                partner_professions = \(activity.partnerProfessions), capacity = \(activity.capacity),
                enrollment_opens_at = \(activity.enrollmentOpensAt), enrollment_closes_at = \(activity.enrollmentClosesAt),
                cancellation_deadline = \(activity.cancellationDeadline),
                counts_toward_requirement = \(activity.countsTowardRequirement),
                waitlist_rule = \(activity.waitlistRule.rawValue), evaluation_form_key = \(activity.evaluationFormKey),
                starts_at = \(activity.startsAt), ends_at = \(activity.endsAt), version = version + 1, updated_at = \(now)
            WHERE id = \(activity.id.uuid) AND version = \(expectedVersion)
            RETURNING id
            """,
            logger: PersonRepository.logger
        ).collect()
        return !rows.isEmpty
    }

    func cancel(_ id: IPOActivity.ID, reason: String, at now: Date, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE ipo_activities SET cancelled_at = \(now), cancellation_reason = \(reason), version = version + 1,
                updated_at = \(now)
            WHERE id = \(id.uuid)
            """,
            logger: PersonRepository.logger
        )
    }

    func link(_ id: IPOActivity.ID, evaluation: Evaluation.ID, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE ipo_activities SET evaluation_id = \(evaluation.uuid) WHERE id = \(id.uuid)",
            logger: PersonRepository.logger
        )
    }

    func hasAttendance(_ id: IPOActivity.ID, on connection: PostgresConnection) async throws -> Bool {
        try await connection.query(
            """
            SELECT 1 FROM ipo_attendance t JOIN ipo_sessions s ON s.id = t.session_id WHERE s.activity_id = \(id.uuid)
            LIMIT 1
            """,
            logger: PersonRepository.logger
        ).hasRow()
    }

    static let columns = """
        a.id, a.title, a.description, a.partner_professions, a.kind, a.capacity, a.enrolled, a.waitlisted,
        a.enrollment_opens_at, a.enrollment_closes_at, a.cancellation_deadline, a.counts_toward_requirement,
        a.waitlist_rule, a.evaluation_form_key, a.evaluation_id, a.cancelled_at, a.cancellation_reason, a.version::int,
        a.created_at, a.updated_at,
        ARRAY(SELECT s.id FROM ipo_sessions s WHERE s.activity_id = a.id ORDER BY s.number),
        ARRAY(SELECT s.starts_at FROM ipo_sessions s WHERE s.activity_id = a.id ORDER BY s.number),
        ARRAY(SELECT s.ends_at FROM ipo_sessions s WHERE s.activity_id = a.id ORDER BY s.number),
        ARRAY(SELECT s.site FROM ipo_sessions s WHERE s.activity_id = a.id ORDER BY s.number)
        """

    typealias Row = (
        UUID, String, String, [String], String, Int, Int, Int, Date, Date, Date, Bool, String, String?, UUID?, Date?,
        String?, Int, Date, Date, [UUID], [Date], [Date], [String]
    )

    static func activity(_ row: PostgresRow) throws -> IPOActivity {
        let (
            id, title, description, professions, kind, capacity, enrolled, waitlisted, opens, closes, deadline, counts,
            rule, formKey, evaluation, cancelledAt, reason, version, created, updated, sessionIDs, starts, ends, sites
        ) = try row.decode(Row.self)
        let sessions = sessionIDs.indices.map { index in
            IPOActivity.Session(
                id: .init(sessionIDs[index]),
                number: index + 1,
                startsAt: starts[index],
                endsAt: ends[index],
                site: IPOActivity.Site(rawValue: sites[index]) ?? .online
            )
        }
        return IPOActivity(
            id: .init(id),
            title: title,
            description: description,
            partnerProfessions: professions,
            kind: IPOActivity.Kind(rawValue: kind) ?? .elective,
            capacity: capacity,
            enrolled: enrolled,
            waitlisted: waitlisted,
            enrollmentOpensAt: opens,
            enrollmentClosesAt: closes,
            cancellationDeadline: deadline,
            countsTowardRequirement: counts,
            waitlistRule: IPOActivity.WaitlistRule(rawValue: rule) ?? .firstCome,
            evaluationFormKey: formKey,
            evaluationID: evaluation.map(Evaluation.ID.init),
            sessions: sessions,
            cancelledAt: cancelledAt,
            cancellationReason: reason,
            version: version,
            createdAt: created,
            updatedAt: updated
        )
    }

    static func activities(_ rows: PostgresRowSequence) async throws -> [IPOActivity] {
        var activities: [IPOActivity] = []
        for try await row in rows { activities.append(try activity(row)) }
        return activities
    }
}
