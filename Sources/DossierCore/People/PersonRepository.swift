import Foundation
import PostgresNIO

/// SQL for people and trainee profiles.
public struct PersonRepository: Sendable {
    public init() {}

    /// Filters of the people list; nil means "any".
    public struct Filter: Sendable {
        public var role: Role?
        public var groupID: GroupID?
        public var status: TraineeStatus?
        public var text: String?
        public var updatedSince: Date?
        /// Only trainees this supervisor supervises on that day; set by the service, not the client.
        public var supervisedBy: (supervisor: PersonID, day: CalendarDate)?

        public init(
            role: Role? = nil,
            groupID: GroupID? = nil,
            status: TraineeStatus? = nil,
            text: String? = nil,
            updatedSince: Date? = nil
        ) {
            self.role = role
            self.groupID = groupID
            self.status = status
            self.text = text
            self.updatedSince = updatedSince
        }
    }

    private static let columns = """
        p.id, p.name, p.email, p.roles, p.version, p.created_at, p.updated_at,
        t.start_date::text, t.expected_end_date::text, t.training_year::int, t.site, t.group_id, t.status,
        t.completed_at::text
        """

    public func insert(_ person: NewPerson, id: PersonID, at now: Date, on connection: PostgresConnection) async throws
    {
        try await connection.query(
            """
            INSERT INTO people (id, name, email, roles, created_at, updated_at)
            VALUES (\(id.uuid), \(person.name), \(person.email), \(person.roles.map(\.rawValue).sorted()), \(now), \(now))
            """,
            logger: Self.logger
        )
        if let trainee = person.trainee {
            try await insertProfile(trainee, for: id, on: connection)
        }
    }

    func insertProfile(_ trainee: TraineeProfile, for id: PersonID, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO trainee_profiles (person_id, start_date, expected_end_date, training_year, site, group_id)
            VALUES (\(id.uuid), \(trainee.startDate.description)::date, \(trainee.expectedEndDate.description)::date,
                    \(trainee.trainingYear), \(trainee.site.rawValue), \(trainee.groupID?.uuid))
            """,
            logger: Self.logger
        )
    }

    public func find(_ id: PersonID, on connection: PostgresConnection, forUpdate: Bool = false) async throws -> Person?
    {
        let query: PostgresQuery =
            forUpdate
            ? "SELECT \(unescaped: Self.columns) FROM people p LEFT JOIN trainee_profiles t ON t.person_id = p.id WHERE p.id = \(id.uuid) FOR UPDATE OF p"
            : "SELECT \(unescaped: Self.columns) FROM people p LEFT JOIN trainee_profiles t ON t.person_id = p.id WHERE p.id = \(id.uuid)"
        return try await Self.people(connection.query(query, logger: Self.logger)).first
    }

    public func findByEmail(_ email: String, on connection: PostgresConnection) async throws -> Person? {
        try await Self.people(
            connection.query(
                """
                SELECT \(unescaped: Self.columns) FROM people p LEFT JOIN trainee_profiles t ON t.person_id = p.id
                WHERE lower(p.email) = lower(\(email))
                """,
                logger: Self.logger
            )
        ).first
    }

    /// One page in id order (ids are UUIDv7, so creation order), `limit + 1` rows to detect more.
    public func list(_ filter: Filter, page: PageRequest, on connection: PostgresConnection) async throws -> [Person] {
        let pattern = filter.text.map {
            "%"
                + $0.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
        }
        return try await Self.people(
            connection.query(
                """
                SELECT \(unescaped: Self.columns) FROM people p LEFT JOIN trainee_profiles t ON t.person_id = p.id
                WHERE (\(page.after)::uuid IS NULL OR p.id > \(page.after))
                  AND (\(filter.role?.rawValue)::text IS NULL OR \(filter.role?.rawValue) = ANY (p.roles))
                  AND (\(filter.groupID?.uuid)::uuid IS NULL OR t.group_id = \(filter.groupID?.uuid))
                  AND (\(filter.status?.rawValue)::text IS NULL OR t.status = \(filter.status?.rawValue))
                  AND (\(pattern)::text IS NULL OR p.name ILIKE \(pattern) OR p.email ILIKE \(pattern))
                  AND (\(filter.updatedSince)::timestamptz IS NULL OR p.updated_at >= \(filter.updatedSince))
                  AND (\(filter.supervisedBy?.supervisor.uuid)::uuid IS NULL OR EXISTS (
                        SELECT 1 FROM supervisions s
                        WHERE s.trainee_id = p.id AND s.supervisor_id = \(filter.supervisedBy?.supervisor.uuid)
                          AND daterange(s.valid_from, s.valid_until, '[]') @> \(filter.supervisedBy?.day.description)::date))
                ORDER BY p.id
                LIMIT \(page.limit + 1)
                """,
                logger: Self.logger
            )
        )
    }

    /// Writes the changed person if its version is still `expectedVersion`; false when stale.
    public func update(
        _ person: Person,
        expectedVersion: Int,
        at now: Date,
        on connection: PostgresConnection
    ) async throws -> Bool {
        let rows = try await connection.query(
            """
            UPDATE people SET name = \(person.name), email = \(person.email),
                roles = \(person.roles.map(\.rawValue).sorted()), version = version + 1, updated_at = \(now)
            WHERE id = \(person.id.uuid) AND version = \(expectedVersion)
            RETURNING id
            """,
            logger: Self.logger
        ).collect()
        guard !rows.isEmpty else { return false }
        if let trainee = person.trainee {
            try await connection.query(
                """
                UPDATE trainee_profiles SET start_date = \(trainee.startDate.description)::date,
                    expected_end_date = \(trainee.expectedEndDate.description)::date,
                    training_year = \(trainee.trainingYear), site = \(trainee.site.rawValue), group_id = \(trainee.groupID?.uuid),
                    status = \(trainee.status.rawValue), completed_at = \(trainee.completedAt?.description)::date
                WHERE person_id = \(person.id.uuid)
                """,
                logger: Self.logger
            )
        }
        return true
    }

    static func people(_ rows: PostgresRowSequence) async throws -> [Person] {
        var people: [Person] = []
        for try await row in rows {
            let (
                id, name, email, roles, version, createdAt, updatedAt, start, end, year, site, group, status, completed
            ) =
                try row.decode(
                    (
                        UUID, String, String, [String], Int, Date, Date, String?, String?, Int?, String?, UUID?,
                        String?, String?
                    )
                    .self
                )
            var trainee: TraineeProfile?
            if let start = start.flatMap(CalendarDate.init), let end = end.flatMap(CalendarDate.init), let year,
                let site = site.flatMap(Site.init), let status = status.flatMap(TraineeStatus.init)
            {
                trainee = TraineeProfile(
                    startDate: start,
                    expectedEndDate: end,
                    trainingYear: year,
                    site: site,
                    groupID: group.map(GroupID.init),
                    status: status,
                    completedAt: completed.flatMap(CalendarDate.init)
                )
            }
            people.append(
                Person(
                    id: PersonID(id),
                    name: name,
                    email: email,
                    roles: Set(roles.compactMap(Role.init)),
                    trainee: trainee,
                    version: version,
                    createdAt: createdAt,
                    updatedAt: updatedAt
                )
            )
        }
        return people
    }

    static let logger = Logger(label: "dossier.sql")
}
