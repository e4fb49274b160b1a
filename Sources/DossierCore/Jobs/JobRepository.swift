import Foundation
import PostgresNIO

/// SQL for operators' view of the queue: list, retry, cancel. The worker's own claims and
/// leases are in `JobQueue`.
public struct JobRepository: Sendable {
    public init() {}

    /// Newest first.
    public func list(
        state: Job.State?,
        kind: String?,
        before: Int64?,
        limit: Int,
        id: Int64? = nil,
        on connection: PostgresConnection
    ) async throws -> [JobRecord] {
        let rows = try await connection.query(
            """
            SELECT id, queue, kind, state, attempt, max_attempts, run_at, created_at, finalized_at, unique_key, errors::text
            FROM jobs
            WHERE (\(state?.rawValue)::text IS NULL OR state = \(state?.rawValue))
              AND (\(kind)::text IS NULL OR kind = \(kind))
              AND (\(before)::bigint IS NULL OR id < \(before))
              AND (\(id)::bigint IS NULL OR id = \(id))
            ORDER BY id DESC
            LIMIT \(limit)
            """,
            logger: PersonRepository.logger
        )
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text)
                ?? Date(timeIntervalSince1970: 0)
        }
        var jobs: [JobRecord] = []
        for try await (id, queue, kind, state, attempt, maxAttempts, runAt, createdAt, finalizedAt, uniqueKey, errors)
            in rows.decode((Int64, String, String, String, Int, Int, Date, Date, Date?, String?, String).self)
        {
            guard let state = Job.State(rawValue: state) else { continue }
            jobs.append(
                JobRecord(
                    id: id,
                    queue: queue,
                    kind: kind,
                    state: state,
                    attempt: attempt,
                    maxAttempts: maxAttempts,
                    runAt: runAt,
                    createdAt: createdAt,
                    finalizedAt: finalizedAt,
                    uniqueKey: uniqueKey,
                    errors: (try? decoder.decode([JobRecord.Failure].self, from: Data(errors.utf8))) ?? []
                )
            )
        }
        return jobs
    }

    /// A dead or cancelled job back to `available` with fresh attempts; its errors stay. False
    /// when the job is in another state.
    public func retry(_ id: Int64, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            """
            UPDATE jobs SET state = 'available', attempt = 0, run_at = now(), finalized_at = NULL
            WHERE id = \(id) AND state IN ('dead', 'cancelled')
            RETURNING queue
            """,
            logger: PersonRepository.logger
        )
        for try await queue in rows.decode(String.self) {
            if let queue = Job.Queue(rawValue: queue) { try await JobQueue().wake(queue, on: connection) }
            return true
        }
        return false
    }

    /// An available job to `cancelled`; false when it runs or has finished.
    public func cancel(_ id: Int64, on connection: PostgresConnection) async throws -> Bool {
        try await connection.query(
            """
            UPDATE jobs SET state = 'cancelled', finalized_at = now() WHERE id = \(id) AND state = 'available' RETURNING id
            """,
            logger: PersonRepository.logger
        ).hasRow()
    }
}
