import DossierCore
import Foundation
import Logging

/// What a worker replica is built from; created once by `dossier worker` (or a test) and passed
/// down, as `ServerDependencies` is for the API.
public struct WorkerDependencies: Sendable {
    public var database: Database
    public var clock: any WallClock
    public var secretKey: SecretKey
    public var settings: WorkerSettings
    public var failpoints: Failpoints
    public var metrics: WorkerMetrics
    /// The pause between two portfolios of a retention run, which leaves room for the API.
    public var retentionPause: Duration
    public var logger: Logger

    public init(
        database: Database,
        clock: any WallClock,
        secretKey: SecretKey,
        settings: WorkerSettings = WorkerSettings(),
        failpoints: Failpoints = .disabled,
        metrics: WorkerMetrics = WorkerMetrics(),
        retentionPause: Duration = .milliseconds(50),
        logger: Logger
    ) {
        self.database = database
        self.clock = clock
        self.secretKey = secretKey
        self.settings = settings
        self.failpoints = failpoints
        self.metrics = metrics
        self.retentionPause = retentionPause
        self.logger = logger
    }

    /// The services the standard job kinds call.
    public var handlers: [String: JobHandler] {
        JobHandlers.standard(
            retention: RetentionService(
                database: database,
                clock: clock,
                secretKey: secretKey,
                failpoints: failpoints,
                logger: logger
            ),
            executor: RetentionExecutor(
                database: database,
                clock: clock,
                secretKey: secretKey,
                failpoints: failpoints,
                pause: retentionPause,
                logger: logger
            ),
            housekeeping: Housekeeping(database: database, clock: clock, logger: logger),
            evaluationFold: EvaluationFold(database: database, clock: clock, secretKey: secretKey, logger: logger)
        )
    }
}

/// One replica with the standard schedule and job kinds: services -> handlers -> worker.
/// `startupCheck` runs before the first claim (the schema check); throwing stops the replica.
public func buildWorker(
    _ dependencies: WorkerDependencies,
    id: UUID = UUID(),
    startupCheck: @escaping @Sendable () async throws -> Void = {}
) -> Worker {
    Worker(
        id: id,
        database: dependencies.database,
        clock: dependencies.clock,
        handlers: dependencies.handlers,
        settings: dependencies.settings,
        failpoints: dependencies.failpoints,
        metrics: dependencies.metrics,
        logger: dependencies.logger,
        startupCheck: startupCheck
    )
}
