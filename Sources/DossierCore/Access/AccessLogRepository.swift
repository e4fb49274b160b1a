import Foundation
import PostgresNIO

/// The append-only access log. Rows are written in the transaction that produces the response:
/// no row, no response.
public struct AccessLogRepository: Sendable {
    public init() {}

    /// All entries in one INSERT, however many subjects a list touched: one row as a plain
    /// INSERT, more as one array per column (optional values as text, empty for none, since
    /// PostgresNIO cannot bind arrays of optional values).
    public func append(_ entries: [AccessLogEntry], on connection: PostgresConnection) async throws {
        switch entries.count {
        case 0: return
        case 1: _ = try await connection.execute(Insert(entries[0]), logger: PersonRepository.logger)
        default: _ = try await connection.execute(InsertMany(entries), logger: PersonRepository.logger)
        }
    }

    private struct InsertMany: PostgresPreparedStatement {
        // Named by hand: PostgreSQL cuts a name at 63 bytes, where the default names of two private
        // statements of one file ("Module.Type.(unknown context at $...).") are still the same.
        static let name = "access_log_insert_many"
        static let sql = """
            INSERT INTO access_log (id, occurred_at, action, outcome, actor_person_id, service_client_id, token_id, role,
                                    client_ip, subject_id, resource_type, resource_id, rule, reason, request_id)
            SELECT id, occurred_at, action, 'success', NULLIF(actor, '')::uuid, NULLIF(client, '')::uuid,
                   NULLIF(token, '')::uuid, role, NULLIF(ip, ''), subject, resource_type, NULLIF(resource, '')::uuid, rule,
                   NULLIF(reason, ''), request_id
            FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                        $8::text[], $9::uuid[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[])
                 AS e(id, occurred_at, action, actor, client, token, role, ip, subject, resource_type, resource, rule,
                      reason, request_id)
            """
        typealias Row = ()

        let entries: [AccessLogEntry]

        init(_ entries: [AccessLogEntry]) { self.entries = entries }

        func makeBindings() throws -> PostgresBindings {
            func text(_ value: (AccessLogEntry) -> String?) -> [String] { entries.map { value($0) ?? "" } }
            var bindings = PostgresBindings(capacity: 14)
            bindings.append(entries.map(\.id.uuid))
            bindings.append(entries.map(\.occurredAt))
            bindings.append(entries.map(\.action.rawValue))
            bindings.append(text { $0.actorPersonID?.description })
            bindings.append(text { $0.serviceClientID?.description })
            bindings.append(text { $0.tokenID?.description })
            bindings.append(entries.map(\.role))
            bindings.append(text(\.clientIP))
            bindings.append(entries.map(\.subjectID.uuid))
            bindings.append(entries.map(\.resourceType))
            bindings.append(text { $0.resourceID?.uuidString })
            bindings.append(entries.map(\.rule))
            bindings.append(text(\.reason))
            bindings.append(entries.map(\.requestID))
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws {}
    }

    /// One row, the common case (a read of one portfolio), as a prepared plain INSERT.
    private struct Insert: PostgresPreparedStatement {
        // Named by hand: PostgreSQL cuts a name at 63 bytes, where the default names of two private
        // statements of one file ("Module.Type.(unknown context at $...).") are still the same.
        static let name = "access_log_insert"
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
