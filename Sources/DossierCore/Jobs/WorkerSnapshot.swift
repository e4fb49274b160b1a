import Foundation
import PostgresNIO

/// The queue and retention figures a worker's `/metrics` reports, read in one go.
public struct WorkerSnapshot: Sendable {
    public var jobs: [(queue: String, kind: String, state: String, count: Int)] = []
    public var oldestAvailableAge: Double = 0
    public var deadJobs = 0
    public var retentionBacklog = 0
    public var awaitingApproval = 0
    public var activeHolds = 0
    public var liveReplicas = 0
    /// Outbox rows by status.
    public var outbox: [String: Int] = [:]

    public init() {}
}

extension JobQueue {
    public func snapshot(on connection: DatabaseConnection) async throws -> WorkerSnapshot {
        var snapshot = WorkerSnapshot()
        snapshot.jobs = try await counts(on: connection)
        let rows = try await connection.query(
            """
            SELECT coalesce(extract(epoch FROM now() - min(run_at) FILTER (WHERE state = 'available' AND run_at <= now())),
                            0)::float8,
                   count(*) FILTER (WHERE state = 'dead')::int,
                   (SELECT count(*)::int FROM retention_runs
                    WHERE status IN ('approved', 'running') AND approved_at < now() - interval '24 hours'),
                   (SELECT count(*)::int FROM retention_runs WHERE status = 'awaiting_approval'),
                   (SELECT count(*)::int FROM legal_holds WHERE released_at IS NULL),
                   (SELECT count(*)::int FROM worker_instances
                    WHERE stopped_at IS NULL AND heartbeat_at > now() - interval '2 minutes')
            FROM jobs
            """,
            logger: PersonRepository.logger
        )
        for try await (age, dead, backlog, awaiting, holds, replicas) in rows.decode(
            (Double, Int, Int, Int, Int, Int).self
        ) {
            snapshot.oldestAvailableAge = age
            snapshot.deadJobs = dead
            snapshot.retentionBacklog = backlog
            snapshot.awaitingApproval = awaiting
            snapshot.activeHolds = holds
            snapshot.liveReplicas = replicas
        }
        snapshot.outbox = try await OutboxRepository().counts(on: connection)
        return snapshot
    }
}
