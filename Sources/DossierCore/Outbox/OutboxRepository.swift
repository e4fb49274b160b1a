import Foundation
import PostgresNIO

/// SQL of the mail outbox (worker.md 6.5): rows are claimed with SKIP LOCKED under a lease, every
/// change after the claim is fenced on (worker, attempt), and the phase `final_dot` is committed
/// before the terminating dot is written.
public struct OutboxRepository: Sendable {
    public init() {}

    /// Inserts the row unless its key exists; returns its id when this call made it.
    @discardableResult
    public func insert(_ mail: NewMail, at now: Date, on connection: PostgresConnection) async throws -> Int64? {
        let bytes = mail.message.map { ByteBuffer(bytes: $0) }
        let rows = try await connection.query(
            """
            INSERT INTO email_outbox (idempotency_key, kind, person_id, to_address, message_id, raw_message, status,
                                      created_at)
            VALUES (\(mail.key), \(mail.kind.rawValue), \(mail.personID?.uuid), \(mail.toAddress), \(mail.messageID),
                    \(bytes), \(mail.skipped ? "skipped" : "pending"), \(now))
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING id
            """,
            logger: PersonRepository.logger
        )
        for try await id in rows.decode(Int64.self) { return id }
        return nil
    }

    /// A row made failed at once: a message that cannot be rendered, say, for an address no
    /// message can carry.
    public func fail(key: String, reason: String, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE email_outbox SET status = 'failed', last_error = left(\(reason), 2000)
            WHERE idempotency_key = \(key) AND status = 'pending'
            """,
            logger: PersonRepository.logger
        )
    }

    /// Which of `keys` have a row already.
    public func existing(_ keys: [String], on connection: PostgresConnection) async throws -> Set<String> {
        guard !keys.isEmpty else { return [] }
        let rows = try await connection.query(
            "SELECT idempotency_key FROM email_outbox WHERE idempotency_key = ANY(\(keys))",
            logger: PersonRepository.logger
        )
        var found: Set<String> = []
        for try await key in rows.decode(String.self) { found.insert(key) }
        return found
    }

    /// When each person's last digest row was made, skipped ones included: "since the last digest".
    func lastDigest(of people: [UUID], on connection: PostgresConnection) async throws -> [UUID: Date] {
        let rows = try await connection.query(
            """
            SELECT person_id, max(created_at) FROM email_outbox
            WHERE kind = 'digest' AND person_id = ANY(\(people)) GROUP BY person_id
            """,
            logger: PersonRepository.logger
        )
        var last: [UUID: Date] = [:]
        for try await (person, at) in rows.decode((UUID, Date).self) { last[person] = at }
        return last
    }

    public func claim(worker: UUID, lease: Duration, on connection: PostgresConnection) async throws -> ClaimedMail? {
        let rows = try await connection.query(
            """
            WITH next AS MATERIALIZED (
                SELECT id FROM email_outbox
                WHERE status = 'pending' AND next_attempt_at <= now()
                ORDER BY next_attempt_at, id
                LIMIT 1
                FOR UPDATE SKIP LOCKED
            )
            UPDATE email_outbox o SET status = 'sending', attempts = o.attempts + 1, smtp_phase = 'none',
                                      locked_by = \(worker), lease_until = now() + make_interval(secs => \(lease.seconds))
            FROM next WHERE o.id = next.id
            RETURNING o.id, o.kind, o.person_id, o.to_address, o.message_id, o.raw_message, o.attempts,
                      o.max_attempts
            """,
            logger: PersonRepository.logger
        )
        for try await (id, kind, person, address, messageID, raw, attempt, maxAttempts) in rows.decode(
            (Int64, String, UUID?, String?, String, ByteBuffer?, Int, Int).self
        ) {
            guard let kind = OutboxRecord.Kind(rawValue: kind) else { continue }
            return ClaimedMail(
                id: id,
                kind: kind,
                personID: person.map(PersonID.init),
                toAddress: address ?? "",
                messageID: messageID,
                message: raw.map { Array($0.readableBytesView) },
                attempt: attempt,
                maxAttempts: maxAttempts
            )
        }
        return nil
    }

    public func heartbeat(
        _ mail: ClaimedMail,
        worker: UUID,
        lease: Duration,
        on connection: PostgresConnection
    ) async throws -> Bool {
        try await connection.query(
            """
            UPDATE email_outbox SET lease_until = now() + make_interval(secs => \(lease.seconds))
            WHERE id = \(mail.id) AND status = 'sending' AND locked_by = \(worker) AND attempts = \(mail.attempt)
            RETURNING id
            """,
            logger: PersonRepository.logger
        ).hasRow()
    }

    /// The point of no return: committed before the terminating dot is written.
    public func reachFinalDot(_ mail: ClaimedMail, worker: UUID, on connection: PostgresConnection) async throws -> Bool
    {
        try await connection.query(
            """
            UPDATE email_outbox SET smtp_phase = 'final_dot'
            WHERE id = \(mail.id) AND status = 'sending' AND locked_by = \(worker) AND attempts = \(mail.attempt)
            RETURNING id
            """,
            logger: PersonRepository.logger
        ).hasRow()
    }

    /// Records how the attempt ended; a transient failure on the last attempt fails the row.
    /// Returns the status written, or nil when the lease was lost meanwhile.
    public func finish(
        _ mail: ClaimedMail,
        _ outcome: DeliveryOutcome,
        worker: UUID,
        at now: Date,
        on connection: PostgresConnection
    ) async throws -> OutboxRecord.Status? {
        let status: OutboxRecord.Status
        var reply: String?
        var error: String?
        var retryIn = 0.0
        switch outcome {
        case .sent(let text):
            status = .sent
            reply = String(text.prefix(1000))
        case .transient(let reason, let delay):
            status = mail.attempt >= mail.maxAttempts ? .failed : .pending
            error = reason
            retryIn = delay
        case .permanent(let reason, _):
            status = .failed
            error = reason
        case .unknown(let reason):
            status = .unknown
            error = reason
        }
        let rows = try await connection.query(
            """
            UPDATE email_outbox
            SET status = \(status.rawValue), locked_by = NULL, lease_until = NULL,
                smtp_phase = CASE WHEN \(status.rawValue) = 'pending' THEN 'none' ELSE smtp_phase END,
                next_attempt_at = now() + make_interval(secs => \(retryIn)),
                smtp_reply = coalesce(\(reply), smtp_reply),
                last_error = CASE WHEN \(status.rawValue) = 'sent' THEN NULL ELSE left(\(error), 2000) END,
                sent_at = CASE WHEN \(status.rawValue) = 'sent' THEN \(now)::timestamptz ELSE sent_at END
            WHERE id = \(mail.id) AND status = 'sending' AND locked_by = \(worker) AND attempts = \(mail.attempt)
            RETURNING id
            """,
            logger: PersonRepository.logger
        )
        return try await rows.hasRow() ? status : nil
    }

    /// Graceful shutdown: an attempt that never reached the final dot goes back without using up
    /// an attempt; one that did is `unknown`, as after a crash.
    public func release(_ mail: ClaimedMail, worker: UUID, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE email_outbox
            SET status = CASE WHEN smtp_phase = 'final_dot' THEN 'unknown' ELSE 'pending' END,
                attempts = CASE WHEN smtp_phase = 'final_dot' THEN attempts ELSE attempts - 1 END,
                smtp_phase = CASE WHEN smtp_phase = 'final_dot' THEN smtp_phase ELSE 'none' END,
                next_attempt_at = now(), locked_by = NULL, lease_until = NULL
            WHERE id = \(mail.id) AND status = 'sending' AND locked_by = \(worker) AND attempts = \(mail.attempt)
            """,
            logger: PersonRepository.logger
        )
    }

    /// Rows of dead workers: back to `pending` when the attempt never reached the final dot (a
    /// connection closed before the end of data delivers nothing, RFC 5321 3.8), `unknown` when
    /// it did. One replica per pass; nil when another holds the pass.
    public func rescueExpired(on connection: PostgresConnection) async throws -> (pending: Int, unknown: Int)? {
        let locked = try await connection.query(
            "SELECT pg_try_advisory_xact_lock(hashtext('worker.mail-rescuer'))",
            logger: PersonRepository.logger
        )
        for try await got in locked.decode(Bool.self) where !got { return nil }
        let rows = try await connection.query(
            """
            WITH stuck AS MATERIALIZED (
                SELECT id FROM email_outbox WHERE status = 'sending' AND lease_until < now()
                ORDER BY id LIMIT 500 FOR UPDATE SKIP LOCKED
            )
            UPDATE email_outbox o
            SET status = CASE WHEN o.smtp_phase = 'final_dot' THEN 'unknown' ELSE 'pending' END,
                last_error = CASE WHEN o.smtp_phase = 'final_dot'
                                  THEN 'the worker died after the final dot: it may have been delivered'
                                  ELSE 'lease expired (worker died?)' END,
                smtp_phase = CASE WHEN o.smtp_phase = 'final_dot' THEN o.smtp_phase ELSE 'none' END,
                next_attempt_at = now(), locked_by = NULL, lease_until = NULL
            FROM stuck WHERE o.id = stuck.id
            RETURNING o.status
            """,
            logger: PersonRepository.logger
        )
        var pending = 0
        var unknown = 0
        for try await status in rows.decode(String.self) {
            if status == "unknown" { unknown += 1 } else { pending += 1 }
        }
        return (pending, unknown)
    }

    /// Adds to the person's bounce score; a score 30 days old starts again from nothing.
    public func bounce(_ person: PersonID, points: Int, at now: Date, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO mail_bounces (person_id, score, last_bounce_at) VALUES (\(person.uuid), \(points), \(now))
            ON CONFLICT (person_id) DO UPDATE SET
                score = CASE WHEN mail_bounces.last_bounce_at < \(now)::timestamptz - interval '30 days'
                             THEN EXCLUDED.score ELSE mail_bounces.score + EXCLUDED.score END,
                last_bounce_at = EXCLUDED.last_bounce_at
            """,
            logger: PersonRepository.logger
        )
    }

    /// Newest first.
    public func list(
        status: OutboxRecord.Status?,
        kind: OutboxRecord.Kind?,
        person: PersonID?,
        before: Int64?,
        limit: Int,
        id: Int64? = nil,
        on connection: PostgresConnection
    ) async throws -> [OutboxRecord] {
        let rows = try await connection.query(
            """
            SELECT id, idempotency_key, kind, person_id, status, attempts, max_attempts,
                   CASE WHEN status = 'pending' THEN next_attempt_at END, last_error, smtp_reply, message_id,
                   created_at, sent_at
            FROM email_outbox
            WHERE (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue))
              AND (\(kind?.rawValue)::text IS NULL OR kind = \(kind?.rawValue))
              AND (\(person?.uuid)::uuid IS NULL OR person_id = \(person?.uuid))
              AND (\(before)::bigint IS NULL OR id < \(before))
              AND (\(id)::bigint IS NULL OR id = \(id))
            ORDER BY id DESC
            LIMIT \(limit)
            """,
            logger: PersonRepository.logger
        )
        var records: [OutboxRecord] = []
        for try await row in rows.decode(
            (Int64, String, String, UUID?, String, Int, Int, Date?, String?, String?, String, Date, Date?).self
        ) {
            guard let kind = OutboxRecord.Kind(rawValue: row.2), let status = OutboxRecord.Status(rawValue: row.4)
            else { continue }
            records.append(
                OutboxRecord(
                    id: row.0,
                    key: row.1,
                    kind: kind,
                    personID: row.3.map(PersonID.init),
                    status: status,
                    attempts: row.5,
                    maxAttempts: row.6,
                    nextAttemptAt: row.7,
                    lastError: row.8,
                    smtpReply: row.9,
                    messageID: row.10,
                    createdAt: row.11,
                    sentAt: row.12
                )
            )
        }
        return records
    }

    /// An `unknown` or `failed` row back to `pending` with fresh attempts and the same
    /// Message-ID, so a receiver that has it already can tell. False when the row is in another
    /// state or its message was pruned.
    public func resend(_ id: Int64, on connection: PostgresConnection) async throws -> Bool {
        try await connection.query(
            """
            UPDATE email_outbox SET status = 'pending', attempts = 0, smtp_phase = 'none', next_attempt_at = now()
            WHERE id = \(id) AND status IN ('unknown', 'failed') AND to_address IS NOT NULL
              AND raw_message IS NOT NULL
            RETURNING id
            """,
            logger: PersonRepository.logger
        ).hasRow()
    }

    /// A finished row keeps its key (which outlives every period it protects) and drops the
    /// address and message after 30 days; rows go after 400 days.
    public func prune(before now: Date, on connection: PostgresConnection) async throws -> Int {
        try await connection.query(
            """
            UPDATE email_outbox SET raw_message = NULL, to_address = NULL
            WHERE status IN ('sent', 'skipped', 'failed') AND created_at < \(now)::timestamptz - interval '30 days'
              AND (raw_message IS NOT NULL OR to_address IS NOT NULL)
            """,
            logger: PersonRepository.logger
        )
        let rows = try await connection.query(
            """
            DELETE FROM email_outbox
            WHERE status IN ('sent', 'skipped', 'failed') AND created_at < \(now)::timestamptz - interval '400 days'
            RETURNING id
            """,
            logger: PersonRepository.logger
        )
        var count = 0
        for try await _ in rows.decode(Int64.self) { count += 1 }
        return count
    }

    /// Rows per status, for `/metrics`.
    public func counts(on connection: PostgresConnection) async throws -> [String: Int] {
        let rows = try await connection.query(
            "SELECT status, count(*)::int FROM email_outbox GROUP BY status",
            logger: PersonRepository.logger
        )
        var counts: [String: Int] = [:]
        for try await (status, count) in rows.decode((String, Int).self) { counts[status] = count }
        return counts
    }
}
