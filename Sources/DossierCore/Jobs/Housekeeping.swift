import Foundation
import Logging

/// The hourly `job.prune`: keeps the hot job table small, drops the address and message of mail
/// sent 30 days ago, lets idempotency keys (whose stored
/// responses can hold personal data) go after their 24 hours, and drops the candidate lists of
/// retention runs finished 90 days ago: they name trainees, while the run's counts, its
/// certificate and the disposal log stay.
public struct Housekeeping: Sendable {
    private let database: Database
    private let clock: any WallClock
    private let logger: Logger
    private let jobs = JobQueue()
    private let idempotency = IdempotencyRepository()
    private let runs = RetentionRunRepository()
    private let outbox = OutboxRepository()

    public init(database: Database, clock: any WallClock, logger: Logger) {
        self.database = database
        self.clock = clock
        self.logger = logger
    }

    public func prune() async throws {
        var jobsPruned = 0
        while let pruned = try await database.transaction({ try await jobs.prune(on: $0) }), pruned > 0 {
            jobsPruned += pruned
        }
        let now = clock.now()
        let keys = try await database.transaction { try await idempotency.prune(now: now, on: $0) }
        let candidates = try await database.transaction {
            try await runs.pruneCandidates(finishedBefore: now.addingTimeInterval(-90 * 86_400), on: $0)
        }
        let mail = try await database.transaction { try await outbox.prune(before: now, on: $0) }
        logger.info(
            "pruned",
            metadata: [
                "jobs": "\(jobsPruned)", "idempotency_keys": "\(keys)", "retention_candidates": "\(candidates)",
                "mail": "\(mail)",
            ]
        )
    }
}
