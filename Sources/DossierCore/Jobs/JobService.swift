import Foundation
import Logging

/// The queue for operators: what ran, what failed and why, and the two levers they have: retry
/// a dead job, cancel one that has not started.
public struct JobService: Sendable {
    private let database: Database
    private let logger: Logger
    private let jobs = JobRepository()

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    public func list(
        state: Job.State?,
        kind: String?,
        page: PageRequest,
        caller: Caller
    ) async throws -> Page<JobRecord> {
        _ = try AccessPolicy.decide(.listJobs, caller: caller).rule(or: "job")
        return try await database.read { connection in
            let fetched = try await jobs.list(
                state: state,
                kind: kind,
                before: page.after.map(JobRecord.id(fromCursor:)),
                limit: page.limit + 1,
                on: connection
            )
            return Page(fetched: fetched, limit: page.limit) { $0.cursorID }
        }
    }

    public func retry(_ id: Int64, caller: Caller) async throws -> JobRecord {
        _ = try AccessPolicy.decide(.retryJob, caller: caller).rule(or: "job")
        let job = try await change(id, .jobNotRetried, refusal: "Only a dead or cancelled job can be retried") {
            try await jobs.retry(id, on: $0)
        }
        logger.info(
            "job retried by an admin",
            metadata: ["job_id": "\(id)", "actor": "\(caller.personID.map { "\($0)" } ?? "-")"]
        )
        return job
    }

    public func cancel(_ id: Int64, caller: Caller) async throws -> JobRecord {
        _ = try AccessPolicy.decide(.cancelJob, caller: caller).rule(or: "job")
        let job = try await change(id, .jobNotCancelled, refusal: "Only a job waiting to run can be cancelled") {
            try await jobs.cancel(id, on: $0)
        }
        logger.info(
            "job cancelled by an admin",
            metadata: ["job_id": "\(id)", "actor": "\(caller.personID.map { "\($0)" } ?? "-")"]
        )
        return job
    }

    private func change(
        _ id: Int64,
        _ refused: ProblemSlug,
        refusal: String,
        _ update: (DatabaseConnection) async throws -> Bool
    ) async throws -> JobRecord {
        try await database.transaction { connection in
            guard
                let job = try await jobs.list(state: nil, kind: nil, before: nil, limit: 1, id: id, on: connection)
                    .first
            else { throw DossierError.notFound("job") }
            guard try await update(connection) else {
                throw DossierError(
                    .conflict,
                    slug: refused,
                    detail: "\(refusal); this job is \(job.state.rawValue)."
                )
            }
            guard
                let changed = try await jobs.list(state: nil, kind: nil, before: nil, limit: 1, id: id, on: connection)
                    .first
            else { throw DossierError.notFound("job") }
            return changed
        }
    }
}
