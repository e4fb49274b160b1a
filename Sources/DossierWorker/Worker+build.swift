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
    /// Nil when no SMTP server is configured: no digest is planned and no mail sent.
    public var mail: WorkerMail?

    public init(
        database: Database,
        clock: any WallClock,
        secretKey: SecretKey,
        settings: WorkerSettings = WorkerSettings(),
        failpoints: Failpoints = .disabled,
        metrics: WorkerMetrics = WorkerMetrics(),
        retentionPause: Duration = .milliseconds(50),
        logger: Logger,
        mail: WorkerMail? = nil
    ) {
        self.mail = mail
        self.database = database
        self.clock = clock
        self.secretKey = secretKey
        self.settings = settings
        self.failpoints = failpoints
        self.metrics = metrics
        self.retentionPause = retentionPause
        self.logger = logger
    }

    /// The services the standard job kinds call, and the digest plan when mail is on.
    public var handlers: [String: JobHandler] {
        var handlers = JobHandlers.standard(
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
        if let planner = digestPlanner {
            handlers["digest.plan"] = { _ in _ = try await planner.plan() }
        }
        return handlers
    }

    public var digestPlanner: DigestPlanner? {
        mail.map {
            DigestPlanner(
                database: database,
                clock: clock,
                secretKey: secretKey,
                renderer: $0.renderer,
                baseURL: $0.baseURL,
                messageDomain: $0.messageDomain,
                logger: logger
            )
        }
    }
}

/// What a replica needs to send mail: the SMTP settings and the renderer, and where links point.
public struct WorkerMail: Sendable {
    public var settings: MailSettings
    public var renderer: any MailRendering
    public var baseURL: String
    public var messageDomain: String

    public init(settings: MailSettings, renderer: any MailRendering, baseURL: String, messageDomain: String) {
        self.settings = settings
        self.renderer = renderer
        self.baseURL = baseURL
        self.messageDomain = messageDomain
    }
}

/// One replica with the standard schedule and job kinds: services -> handlers -> worker.
/// `startupCheck` runs before the first claim (the schema check); throwing stops the replica.
/// Throws when the SMTP settings cannot be used (plaintext to a remote host, bad TLS files).
public func buildWorker(
    _ dependencies: WorkerDependencies,
    id: UUID = UUID(),
    startupCheck: @escaping @Sendable () async throws -> Void = {}
) throws -> Worker {
    let delivery = try dependencies.mail.map { mail in
        try MailDelivery(
            outbox: OutboxService(
                database: dependencies.database,
                clock: dependencies.clock,
                logger: dependencies.logger
            ),
            settings: mail.settings,
            worker: id,
            failpoints: dependencies.failpoints,
            metrics: dependencies.metrics,
            logger: dependencies.logger
        )
    }
    return Worker(
        id: id,
        database: dependencies.database,
        clock: dependencies.clock,
        schedules: Schedule.standard + (dependencies.mail == nil ? [] : Schedule.mail),
        handlers: dependencies.handlers,
        settings: dependencies.settings,
        failpoints: dependencies.failpoints,
        metrics: dependencies.metrics,
        logger: dependencies.logger,
        mail: delivery,
        startupCheck: startupCheck
    )
}
