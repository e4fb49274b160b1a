import Foundation
import PostgresNIO

/// The PostgreSQL job queue (worker.md 6.3): claims in a short SKIP LOCKED transaction, work runs
/// outside any transaction under a lease that a heartbeat extends, and every state change after
/// the claim is fenced on (worker, attempt) so a rescued zombie cannot overwrite a new claim.
/// Leases use the database clock: they measure the worker's liveness, not business time.
public struct JobQueue: Sendable {
    public static let wakeupChannel = "worker_wakeup"

    public init() {}

    /// Enqueues in the caller's transaction (transactional enqueue: the job exists if and only if
    /// the business change committed); a duplicate unique key is a no-op. NOTIFY is delivered at commit.
    @discardableResult
    public func enqueue(_ job: NewJob, on connection: PostgresConnection) async throws -> Int64? {
        let rows = try await connection.query(
            """
            INSERT INTO jobs (queue, kind, args, unique_key, max_attempts)
            VALUES (\(job.queue.rawValue), \(job.kind), \(job.args)::jsonb, \(job.uniqueKey), \(job.maxAttempts))
            ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL DO NOTHING
            RETURNING id
            """,
            logger: PersonRepository.logger
        )
        var id: Int64?
        for try await value in rows.decode(Int64.self) { id = value }
        if id != nil { try await wake(job.queue, on: connection) }
        return id
    }

    /// Writes the slot row and its job in one statement; only the first replica gets a row back.
    public func enqueue(
        slot: Schedule.Slot,
        of schedule: Schedule,
        on connection: PostgresConnection
    ) async throws -> Int64? {
        let key = "sched:\(schedule.name):\(slot.key)"
        let rows = try await connection.query(
            """
            WITH slot AS (
                INSERT INTO schedule_slots (schedule, slot_key, slot_at) VALUES (\(schedule.name), \(slot.key), \(slot.at))
                ON CONFLICT DO NOTHING RETURNING schedule
            )
            INSERT INTO jobs (queue, kind, args, unique_key, max_attempts)
            SELECT \(schedule.job.queue.rawValue), \(schedule.job.kind), \(schedule.job.args)::jsonb, \(key),
                   \(schedule.job.maxAttempts)
            FROM slot
            ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL DO NOTHING
            RETURNING id
            """,
            logger: PersonRepository.logger
        )
        var id: Int64?
        for try await value in rows.decode(Int64.self) { id = value }
        // A separate statement: the CTE's new slot row is invisible to an UPDATE in the same statement.
        if let id {
            try await connection.query(
                """
                UPDATE schedule_slots SET job_id = \(id) WHERE schedule = \(schedule.name) AND slot_key = \(slot.key)
                """,
                logger: PersonRepository.logger
            )
            try await wake(schedule.job.queue, on: connection)
        }
        return id
    }

    /// Tells listening workers that `queue` has work; NOTIFY is transactional, so it is delivered
    /// at commit, when the job is there to claim.
    public func wake(_ queue: Job.Queue, on connection: PostgresConnection) async throws {
        try await connection.query(
            "SELECT pg_notify(\(Self.wakeupChannel), \(queue.rawValue))",
            logger: PersonRepository.logger
        )
    }

    /// Claims up to `limit` available jobs of `queue` for `worker`.
    public func claim(
        queue: Job.Queue,
        limit: Int,
        worker: UUID,
        lease: Duration,
        on connection: PostgresConnection
    ) async throws -> [Job] {
        // MATERIALIZED keeps the planner from pulling the locking subquery into the UPDATE (Oban's fence).
        let rows = try await connection.query(
            """
            WITH next AS MATERIALIZED (
                SELECT id FROM jobs
                WHERE state = 'available' AND queue = \(queue.rawValue) AND run_at <= now()
                ORDER BY priority, run_at, id
                LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
            )
            UPDATE jobs j SET state = 'running', attempt = j.attempt + 1, locked_by = \(worker),
                              lease_until = now() + make_interval(secs => \(lease.seconds))
            FROM next WHERE j.id = next.id
            RETURNING j.id, j.queue, j.kind, j.args::text, j.attempt, j.max_attempts, j.unique_key
            """,
            logger: PersonRepository.logger
        )
        var jobs: [Job] = []
        for try await (id, queue, kind, args, attempt, maxAttempts, uniqueKey) in rows.decode(
            (Int64, String, String, String, Int, Int, String?).self
        ) {
            guard let queue = Job.Queue(rawValue: queue) else { continue }
            jobs.append(
                Job(
                    id: id,
                    queue: queue,
                    kind: kind,
                    args: args,
                    attempt: attempt,
                    maxAttempts: maxAttempts,
                    uniqueKey: uniqueKey
                )
            )
        }
        return jobs
    }

    /// Extends the lease; false means the lease was lost (rescued) and the work must stop.
    public func heartbeat(
        _ job: Job,
        worker: UUID,
        lease: Duration,
        on connection: PostgresConnection
    ) async throws
        -> Bool
    {
        try await fenced(
            """
            UPDATE jobs SET lease_until = now() + make_interval(secs => \(lease.seconds))
            WHERE id = \(job.id) AND state = 'running' AND locked_by = \(worker) AND attempt = \(job.attempt)
            RETURNING id
            """,
            on: connection
        )
    }

    @discardableResult
    public func succeed(_ job: Job, worker: UUID, on connection: PostgresConnection) async throws -> Bool {
        try await fenced(
            """
            UPDATE jobs SET state = 'succeeded', finalized_at = now(), locked_by = NULL, lease_until = NULL
            WHERE id = \(job.id) AND state = 'running' AND locked_by = \(worker) AND attempt = \(job.attempt)
            RETURNING id
            """,
            on: connection
        )
    }

    /// Records the error; retries after a backoff, or marks the job dead after its last attempt.
    @discardableResult
    public func fail(_ job: Job, worker: UUID, error: String, on connection: PostgresConnection) async throws -> Bool {
        let delay = JobBackoff.delay(afterAttempt: job.attempt)
        return try await fenced(
            """
            UPDATE jobs
            SET state = CASE WHEN attempt >= max_attempts THEN 'dead' ELSE 'available' END,
                finalized_at = CASE WHEN attempt >= max_attempts THEN now() END,
                run_at = now() + make_interval(secs => \(delay)),
                locked_by = NULL, lease_until = NULL,
                errors = errors || jsonb_build_array(jsonb_build_object('at', now(), 'attempt', attempt, 'error', \(String(error.prefix(2000)))::text))
            WHERE id = \(job.id) AND state = 'running' AND locked_by = \(worker) AND attempt = \(job.attempt)
            RETURNING id
            """,
            on: connection
        )
    }

    /// Graceful shutdown: hands an unfinished job back at once without using up an attempt.
    @discardableResult
    public func release(_ job: Job, worker: UUID, on connection: PostgresConnection) async throws -> Bool {
        try await fenced(
            """
            UPDATE jobs SET state = 'available', attempt = attempt - 1, run_at = now(), locked_by = NULL, lease_until = NULL
            WHERE id = \(job.id) AND state = 'running' AND locked_by = \(worker) AND attempt = \(job.attempt)
            RETURNING id
            """,
            on: connection
        )
    }

    /// Returns jobs whose lease expired (their worker died) to the queue, or marks them dead when
    /// they used their last attempt. Guarded by a transaction-scoped advisory lock so one replica
    /// does the pass; returns how many were rescued, or nil when another replica holds the lock.
    public func rescueExpired(on connection: PostgresConnection) async throws -> Int? {
        guard try await tryLock("worker.rescuer", on: connection) else { return nil }
        let rows = try await connection.query(
            """
            WITH stuck AS MATERIALIZED (
                SELECT id FROM jobs WHERE state = 'running' AND lease_until < now()
                ORDER BY id LIMIT 500 FOR UPDATE SKIP LOCKED
            )
            UPDATE jobs j
            SET state = CASE WHEN j.attempt >= j.max_attempts THEN 'dead' ELSE 'available' END,
                finalized_at = CASE WHEN j.attempt >= j.max_attempts THEN now() END,
                run_at = now(), locked_by = NULL, lease_until = NULL,
                errors = j.errors || jsonb_build_array(jsonb_build_object('at', now(), 'attempt', j.attempt,
                                                                         'error', 'lease expired (worker died?)'))
            FROM stuck WHERE j.id = stuck.id
            RETURNING j.id
            """,
            logger: PersonRepository.logger
        )
        var count = 0
        for try await _ in rows.decode(Int64.self) { count += 1 }
        return count
    }

    /// Deletes succeeded jobs after 14 days and dead or cancelled ones after 90, 1,000 at a time;
    /// a unique key outlives every period it protects because keys carry their period.
    public func prune(on connection: PostgresConnection) async throws -> Int? {
        guard try await tryLock("worker.pruner", on: connection) else { return nil }
        let rows = try await connection.query(
            """
            WITH old AS (
                SELECT id FROM jobs
                WHERE (state = 'succeeded' AND finalized_at < now() - interval '14 days')
                   OR (state IN ('dead', 'cancelled') AND finalized_at < now() - interval '90 days')
                ORDER BY id LIMIT 1000
            )
            DELETE FROM jobs WHERE id IN (SELECT id FROM old) RETURNING id
            """,
            logger: PersonRepository.logger
        )
        var count = 0
        for try await _ in rows.decode(Int64.self) { count += 1 }
        try await connection.query(
            "DELETE FROM schedule_slots WHERE created_at < now() - interval '30 days'",
            logger: PersonRepository.logger
        )
        return count
    }

    /// Jobs per queue, kind and state, for `/metrics`.
    public func counts(
        on connection: PostgresConnection
    ) async throws -> [(queue: String, kind: String, state: String, count: Int)] {
        let rows = try await connection.query(
            "SELECT queue, kind, state, count(*)::int FROM jobs GROUP BY queue, kind, state ORDER BY 1, 2, 3",
            logger: PersonRepository.logger
        )
        var counts: [(queue: String, kind: String, state: String, count: Int)] = []
        for try await (queue, kind, state, count) in rows.decode((String, String, String, Int).self) {
            counts.append((queue, kind, state, count))
        }
        return counts
    }

    /// One job's state and attempt, for tests and the CLI.
    public func state(of id: Int64, on connection: PostgresConnection) async throws -> (state: Job.State, attempt: Int)?
    {
        let rows = try await connection.query(
            "SELECT state, attempt FROM jobs WHERE id = \(id)",
            logger: PersonRepository.logger
        )
        for try await (state, attempt) in rows.decode((String, Int).self) {
            guard let state = Job.State(rawValue: state) else { return nil }
            return (state, attempt)
        }
        return nil
    }

    public func registerInstance(
        _ id: UUID,
        hostname: String,
        pid: Int,
        version: String,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO worker_instances (id, hostname, pid, version) VALUES (\(id), \(hostname), \(pid), \(version))
            ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), stopped_at = NULL
            """,
            logger: PersonRepository.logger
        )
    }

    public func beat(_ id: UUID, stopped: Bool = false, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE worker_instances SET heartbeat_at = now(),
                stopped_at = CASE WHEN \(stopped) THEN now() ELSE stopped_at END
            WHERE id = \(id)
            """,
            logger: PersonRepository.logger
        )
    }

    private func tryLock(_ name: String, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            "SELECT pg_try_advisory_xact_lock(hashtext(\(name)))",
            logger: PersonRepository.logger
        )
        for try await locked in rows.decode(Bool.self) { return locked }
        return false
    }

    private func fenced(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> Bool {
        try await connection.query(query, logger: PersonRepository.logger).hasRow()
    }
}

extension JobQueue {
    /// Holds one connection in LISTEN on the wake-up channel and reports each queue named in a
    /// notification. Only an optimisation: workers poll anyway, so a lost notification costs seconds.
    public func listen(on client: PostgresClient, _ wake: @Sendable (Job.Queue) -> Void) async throws {
        try await client.withConnection { connection in
            try await connection.listen(on: Self.wakeupChannel) { notifications in
                for try await notification in notifications {
                    if let queue = Job.Queue(rawValue: notification.payload) { wake(queue) }
                }
            }
        }
    }
}
