import DossierAPI
import DossierCore
import DossierMail
import DossierMailRendering
import Hummingbird
import Logging
import NIOCore
import OpenAPIRuntime
import PostgresNIO

/// What the HTTP edge is built from; created once by `dossier serve` (or a test) and passed down.
public struct ServerDependencies: Sendable {
    public var database: PostgresClient
    public var migrations: [Migration]
    public var clock: any WallClock
    public var metrics: HTTPMetrics
    public var logger: Logger
    public var readinessTimeout: Duration
    public var maximumBodyBytes: Int
    public var secretKey: SecretKey
    public var publicBaseURL: String
    public var attachmentLimits: AttachmentLimits
    /// The sender the digest preview shows (`MAIL_FROM`), and the templates it renders with.
    public var mailFrom: String = "dossier@dossier.localhost"
    public var mailTemplates: String?

    public init(
        database: PostgresClient,
        migrations: [Migration],
        secretKey: SecretKey,
        publicBaseURL: String,
        clock: any WallClock = SystemWallClock(),
        metrics: HTTPMetrics = HTTPMetrics(),
        logger: Logger,
        readinessTimeout: Duration = .seconds(2),
        maximumBodyBytes: Int = 1 << 20,
        attachmentLimits: AttachmentLimits = AttachmentLimits()
    ) {
        self.database = database
        self.migrations = migrations
        self.clock = clock
        self.metrics = metrics
        self.logger = logger
        self.readinessTimeout = readinessTimeout
        self.maximumBodyBytes = maximumBodyBytes
        self.secretKey = secretKey
        self.publicBaseURL = publicBaseURL
        self.attachmentLimits = attachmentLimits
    }
}

struct UnusableMailSender: Error, CustomStringConvertible {
    var description: String { "MAIL_FROM is not an address a message can carry" }
}

/// The router with every middleware and the operations of `openapi.yaml`.
public func buildRouter(_ dependencies: ServerDependencies) throws -> Router<DossierRequestContext> {
    let database = Database(client: dependencies.database, logger: dependencies.logger)
    let clock = dependencies.clock
    let logger = dependencies.logger
    let tokens = TokenService(database: database, clock: clock, logger: logger)
    guard let sender = MailAddress(dependencies.mailFrom) else { throw UnusableMailSender() }
    let renderer = try MailRenderer(
        from: sender,
        templates: dependencies.mailTemplates ?? MailRenderer.bundledTemplates
    )
    let messageDomain = String(dependencies.mailFrom.split(separator: "@").last ?? "localhost")
    let handler = APIHandler(
        readiness: ReadinessProbe(
            client: dependencies.database,
            migrations: dependencies.migrations,
            timeout: dependencies.readinessTimeout,
            logger: logger
        ),
        people: PersonService(database: database, clock: clock, logger: logger),
        groups: GroupService(database: database, clock: clock, logger: logger),
        supervisions: SupervisionService(database: database, clock: clock, logger: logger),
        tokens: tokens,
        portfolios: PortfolioService(database: database, clock: clock),
        entries: EntryService(database: database, clock: clock),
        attachments: AttachmentService(database: database, clock: clock, limits: dependencies.attachmentLimits),
        forms: FormService(database: database, clock: clock),
        assessments: AssessmentService(
            database: database,
            clock: clock,
            mailer: InvitationMailer(
                renderer: renderer,
                baseURL: dependencies.publicBaseURL,
                messageDomain: messageDomain
            )
        ),
        progressReviews: ProgressReviewService(database: database, clock: clock),
        export: ExportService(database: database, clock: clock),
        retention: RetentionService(
            database: database,
            clock: clock,
            secretKey: dependencies.secretKey,
            logger: logger
        ),
        legalHolds: LegalHoldService(database: database, clock: clock, logger: logger),
        jobs: JobService(database: database, logger: logger),
        evaluations: EvaluationService(database: database, clock: clock, secretKey: dependencies.secretKey),
        ipoActivities: IPOActivityService(database: database, clock: clock),
        ipoEnrollments: IPOEnrollmentService(database: database, clock: clock),
        ipoAttendance: IPOAttendanceService(database: database, clock: clock),
        ipoReports: IPOReportService(database: database, clock: clock),
        digestPreferences: DigestPreferenceService(database: database, clock: clock, secretKey: dependencies.secretKey),
        digestPlanner: DigestPlanner(
            database: database,
            clock: clock,
            secretKey: dependencies.secretKey,
            renderer: renderer,
            baseURL: dependencies.publicBaseURL,
            messageDomain: messageDomain,
            logger: logger
        ),
        outbox: OutboxService(database: database, clock: clock, logger: logger),
        mailRenderer: renderer,
        paging: Paging(
            cursors: CursorCodec(secretKey: dependencies.secretKey),
            publicBaseURL: dependencies.publicBaseURL
        ),
        clock: clock
    )
    let middlewares: [any ServerMiddleware] = [
        AuthenticationMiddleware(tokens: tokens, database: database),
        InputMiddleware(maximumBodyBytes: dependencies.maximumBodyBytes),
        IdempotencyMiddleware(
            store: IdempotencyService(database: database, clock: clock),
            maximumBodyBytes: dependencies.maximumBodyBytes
        ),
    ]
    return try buildRouter(dependencies) { transport in
        try handler.registerHandlers(
            on: transport,
            serverURL: Servers.Server1.url(),
            configuration: .init(
                dateTranscoder: RFC3339DateTranscoder(),
                jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes]
            ),
            middlewares: middlewares
        )
        try handler.listEntries.register(on: transport, middlewares: middlewares)
    }
}

/// The same middleware stack around other operations; tests use it to drive the shared
/// conventions through a fixture contract.
package func buildRouter(
    _ dependencies: ServerDependencies,
    operations: (any ServerTransport) throws -> Void
) throws -> Router<DossierRequestContext> {
    let router = Router(context: DossierRequestContext.self)
    let routes = RouteTable()
    // Middleware applies only to routes registered after it, so the stack comes first.
    // Outermost first: the id exists before anything logs, and the log sees the final status.
    router.addMiddleware {
        RequestIDMiddleware()
        ResponseHeadersMiddleware()
        RequestLogMiddleware(metrics: dependencies.metrics)
        ProblemMiddleware(mapper: ProblemMapper(routes: routes))
        BodyLimitMiddleware(
            defaultLimit: dependencies.maximumBodyBytes,
            limits: ["/v1/people:import": APIHandler.importLimit],
            // Uploads are capped per kind of file by the attachment service.
            uploadLimit: (suffix: "/attachments", bytes: dependencies.attachmentLimits.largest)
        )
    }
    OperationalRoutes.register(on: router, routes: routes, metrics: dependencies.metrics)
    try operations(RecordingTransport(router: router, routes: routes))
    return router
}

/// The HTTP application for `dossier serve`. `beforeServing` runs before the port opens (the
/// schema check); throwing from it stops the process without ever accepting a request.
public func buildApplication(
    config: ServeConfig,
    dependencies: ServerDependencies,
    beforeServing: @escaping @Sendable () async throws -> Void
) throws -> some ApplicationProtocol {
    let headerTimeout = TimeAmount.seconds(Int64(config.headerTimeoutSeconds))
    var app = Application(
        router: try buildRouter(dependencies),
        server: .http1(
            configuration: .init(additionalChannelHandlers: [HeaderGuardHandler(timeout: headerTimeout)])
        ),
        configuration: .init(address: .hostname(config.httpHost, port: config.httpPort), serverName: nil),
        logger: dependencies.logger
    )
    app.beforeServerStarts(perform: beforeServing)
    return app
}
