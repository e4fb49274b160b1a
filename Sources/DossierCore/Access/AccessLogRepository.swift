import Foundation
import PostgresNIO

/// The append-only access log. Rows are written in the transaction that produces the response:
/// no row, no response.
public struct AccessLogRepository: Sendable {
    public init() {}

    /// All entries in one INSERT, however many subjects a list touched. The rows travel as one
    /// bound JSON array, since PostgresNIO cannot bind arrays of optional values.
    public func append(_ entries: [AccessLogEntry], on connection: PostgresConnection) async throws {
        guard entries.count > 1 else {
            if let entry = entries.first {
                _ = try await connection.execute(Insert(entry), logger: PersonRepository.logger)
            }
            return
        }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
        }
        let rows = String(decoding: try encoder.encode(entries.map(Row.init)), as: UTF8.self)
        try await connection.query(
            """
            INSERT INTO access_log (id, occurred_at, action, outcome, actor_person_id, service_client_id, token_id, role,
                                    client_ip, subject_id, resource_type, resource_id, rule, reason, request_id)
            SELECT id, occurred_at, action, 'success', actor_person_id, service_client_id, token_id, role, client_ip,
                   subject_id, resource_type, resource_id, rule, reason, request_id
            FROM jsonb_to_recordset(\(rows)::jsonb) AS e(
                id uuid, occurred_at timestamptz, action text, actor_person_id uuid, service_client_id uuid, token_id uuid,
                role text, client_ip text, subject_id uuid, resource_type text, resource_id uuid, rule text, reason text,
                request_id text)
            """,
            logger: PersonRepository.logger
        )
    }

    /// One row, the common case (a read of one portfolio), as a prepared plain INSERT.
    private struct Insert: PostgresPreparedStatement {
        static let sql = """
            INSERT INTO access_log (id, occurred_at, action, outcome, actor_person_id, service_client_id, token_id, role,
                                    client_ip, subject_id, resource_type, resource_id, rule, reason, request_id)
            VALUES ($1, $2, $3, 'success', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
            """
        typealias Row = ()

        let entry: AccessLogEntry

        init(_ entry: AccessLogEntry) { self.entry = entry }

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 14)
            bindings.append(entry.id.uuid)
            bindings.append(entry.occurredAt)
            bindings.append(entry.action.rawValue)
            Self.append(entry.actorPersonID?.uuid, to: &bindings)
            Self.append(entry.serviceClientID?.uuid, to: &bindings)
            Self.append(entry.tokenID?.uuid, to: &bindings)
            bindings.append(entry.role)
            Self.append(entry.clientIP, to: &bindings)
            bindings.append(entry.subjectID.uuid)
            bindings.append(entry.resourceType)
            Self.append(entry.resourceID, to: &bindings)
            bindings.append(entry.rule)
            Self.append(entry.reason, to: &bindings)
            bindings.append(entry.requestID)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws {}

        private static func append<Value: PostgresNonThrowingEncodable>(
            _ value: Value?,
            to bindings: inout PostgresBindings
        ) {
            if let value { bindings.append(value) } else { bindings.appendNull() }
        }
    }

    private struct Row: Encodable {
        let id: UUID
        let occurred_at: Date
        let action: String
        let actor_person_id: UUID?
        let service_client_id: UUID?
        let token_id: UUID?
        let role: String
        let client_ip: String?
        let subject_id: UUID
        let resource_type: String
        let resource_id: UUID?
        let rule: String
        let reason: String?
        let request_id: String

        init(_ entry: AccessLogEntry) {
            id = entry.id.uuid
            occurred_at = entry.occurredAt
            action = entry.action.rawValue
            actor_person_id = entry.actorPersonID?.uuid
            service_client_id = entry.serviceClientID?.uuid
            token_id = entry.tokenID?.uuid
            role = entry.role
            client_ip = entry.clientIP
            subject_id = entry.subjectID.uuid
            resource_type = entry.resourceType
            resource_id = entry.resourceID
            rule = entry.rule
            reason = entry.reason
            request_id = entry.requestID
        }
    }

    /// The entries about `subject`, oldest first, within [from, until).
    public func list(
        subject: PersonID,
        from: Date?,
        until: Date?,
        page: PageRequest,
        on connection: PostgresConnection
    ) async throws -> [AccessLogEntry] {
        var entries: [AccessLogEntry] = []
        let rows = try await connection.query(
            """
            SELECT id, occurred_at, action, actor_person_id, service_client_id, token_id, role, client_ip, subject_id,
                   resource_type, resource_id, rule, reason, request_id
            FROM access_log
            WHERE subject_id = \(subject.uuid)
              AND (\(page.after)::uuid IS NULL OR id > \(page.after))
              AND (\(from)::timestamptz IS NULL OR occurred_at >= \(from))
              AND (\(until)::timestamptz IS NULL OR occurred_at < \(until))
            ORDER BY id
            LIMIT \(page.limit + 1)
            """,
            logger: PersonRepository.logger
        )
        for try await row in rows {
            let (id, at, action, actor, client, token, role, ip, subject, type, resource, rule, reason, request) =
                try row.decode(
                    (
                        UUID, Date, String, UUID?, UUID?, UUID?, String, String?, UUID, String, UUID?, String, String?,
                        String
                    )
                    .self
                )
            entries.append(
                AccessLogEntry(
                    id: AccessLogEntryID(id),
                    occurredAt: at,
                    action: AccessAction(rawValue: action) ?? .read,
                    actorPersonID: actor.map(PersonID.init),
                    serviceClientID: client.map(ServiceClientID.init),
                    tokenID: token.map(TokenID.init),
                    role: role,
                    clientIP: ip,
                    subjectID: PersonID(subject),
                    resourceType: type,
                    resourceID: resource,
                    rule: rule,
                    reason: reason,
                    requestID: request
                )
            )
        }
        return entries
    }
}
