import DossierAPI
import DossierCore

extension Components.Schemas.Job {
    init(_ job: JobRecord) {
        self.init(
            id: job.id,
            queue: job.queue,
            kind: job.kind,
            state: .init(rawValue: job.state.rawValue) ?? .available,
            attempt: job.attempt,
            maxAttempts: job.maxAttempts,
            runAt: job.runAt,
            createdAt: job.createdAt,
            finalizedAt: job.finalizedAt,
            uniqueKey: job.uniqueKey,
            errors: job.errors.map { .init(at: $0.at, attempt: $0.attempt, error: String($0.error.prefix(2000))) }
        )
    }
}
