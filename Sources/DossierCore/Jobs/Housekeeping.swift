import Foundation
import Logging

/// The hourly `job.prune`: keeps the hot job table small and lets idempotency keys, whose stored
/// responses can hold personal data, go after their 24 hours.
public struct Housekeeping: Sendable {
    private let database: Database
    private let clock: any WallClock
    private let logger: Logger
    private let jobs = JobQueue()
    private let idempotency = IdempotencyRepository()

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
        let keys = try await database.transaction { try await idempotency.prune(now: clock.now(), on: $0) }
        logger.info("pruned", metadata: ["jobs": "\(jobsPruned)", "idempotency_keys": "\(keys)"])
    }
}
