import Foundation
import PostgresNIO

/// SQL for idempotency keys. The primary key makes "first request wins" true under concurrency.
public struct IdempotencyRepository: Sendable {
    public init() {}

    public struct Record: Sendable {
        public let requestHash: [UInt8]
        public let status: Int?
        public let withheld: Bool
        public let headers: [String: String]
        public let body: [UInt8]
    }

    /// Claims the key for this request; false when another request holds or held it.
    public func claim(
        _ key: IdempotencyKey,
        requestHash: [UInt8],
        now: Date,
        on connection: PostgresConnection
    ) async throws -> Bool {
        try await connection.query(
            """
            DELETE FROM idempotency_keys
            WHERE principal = \(key.principal) AND method = \(key.method) AND path = \(key.path) AND key = \(key.value)
              AND created_at < \(now.addingTimeInterval(-IdempotencyKey.lifetime))
            """,
            logger: PersonRepository.logger
        )
        let rows = try await connection.query(
            """
            INSERT INTO idempotency_keys (principal, method, path, key, request_hash, created_at)
            VALUES (\(key.principal), \(key.method), \(key.path), \(key.value), \(ByteBuffer(bytes: requestHash)), \(now))
            ON CONFLICT DO NOTHING
            RETURNING key
            """,
            logger: PersonRepository.logger
        ).collect()
        return !rows.isEmpty
    }

    public func find(_ key: IdempotencyKey, on connection: PostgresConnection) async throws -> Record? {
        let rows = try await connection.query(
            """
            SELECT request_hash, status, withheld, coalesce(headers::text, '{}'), body FROM idempotency_keys
            WHERE principal = \(key.principal) AND method = \(key.method) AND path = \(key.path) AND key = \(key.value)
            """,
            logger: PersonRepository.logger
        )
        for try await (hash, status, withheld, headers, body) in rows.decode(
            (ByteBuffer, Int?, Bool, String, ByteBuffer?).self
        ) {
            let decoded = (try? JSONDecoder().decode([String: String].self, from: Data(headers.utf8))) ?? [:]
            return Record(
                requestHash: Array(buffer: hash),
                status: status,
                withheld: withheld,
                headers: decoded,
                body: body.map { Array(buffer: $0) } ?? []
            )
        }
        return nil
    }

    public func complete(
        _ key: IdempotencyKey,
        status: Int,
        headers: [String: String],
        body: [UInt8]?,
        on connection: PostgresConnection
    ) async throws {
        let headerText = String(decoding: try JSONEncoder().encode(headers), as: UTF8.self)
        try await connection.query(
            """
            UPDATE idempotency_keys
            SET status = \(status), withheld = \(body == nil), headers = \(headerText)::jsonb,
                body = \(body.map { ByteBuffer(bytes: $0) })
            WHERE principal = \(key.principal) AND method = \(key.method) AND path = \(key.path) AND key = \(key.value)
            """,
            logger: PersonRepository.logger
        )
    }

    public func release(_ key: IdempotencyKey, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            DELETE FROM idempotency_keys
            WHERE principal = \(key.principal) AND method = \(key.method) AND path = \(key.path) AND key = \(key.value)
              AND status IS NULL
            """,
            logger: PersonRepository.logger
        )
    }

    /// Deletes keys past their 24-hour lifetime (the worker's hourly housekeeping): stored
    /// responses may hold personal data and must not outlive their purpose.
    public func prune(now: Date, on connection: PostgresConnection) async throws -> Int {
        let rows = try await connection.query(
            """
            DELETE FROM idempotency_keys WHERE created_at < \(now.addingTimeInterval(-IdempotencyKey.lifetime))
            RETURNING key
            """,
            logger: PersonRepository.logger
        ).collect()
        return rows.count
    }
}
