import DossierAPI
import DossierCore
import Hummingbird
import Logging
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

    public init(
        database: PostgresClient,
        migrations: [Migration],
        clock: any WallClock = SystemWallClock(),
        metrics: HTTPMetrics = HTTPMetrics(),
        logger: Logger,
        readinessTimeout: Duration = .seconds(2),
        maximumBodyBytes: Int = 1 << 20
    ) {
        self.database = database
        self.migrations = migrations
        self.clock = clock
        self.metrics = metrics
        self.logger = logger
        self.readinessTimeout = readinessTimeout
        self.maximumBodyBytes = maximumBodyBytes
    }
}

/// The router with every middleware and the operations of `openapi.yaml`.
public func buildRouter(_ dependencies: ServerDependencies) throws -> Router<DossierRequestContext> {
    let handler = APIHandler(
        readiness: ReadinessProbe(
            client: dependencies.database,
            migrations: dependencies.migrations,
            timeout: dependencies.readinessTimeout,
            logger: dependencies.logger
        )
    )
    return try buildRouter(dependencies) { transport in
        try handler.registerHandlers(
            on: transport,
            serverURL: Servers.Server1.url(),
            configuration: .init(jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes])
        )
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
        RequestLogMiddleware(metrics: dependencies.metrics)
        ProblemMiddleware(mapper: ProblemMapper(routes: routes))
        BodyLimitMiddleware(limit: dependencies.maximumBodyBytes)
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
    var app = Application(
        router: try buildRouter(dependencies),
        configuration: .init(address: .hostname(config.httpHost, port: config.httpPort), serverName: nil),
        logger: dependencies.logger
    )
    app.beforeServerStarts(perform: beforeServing)
    return app
}
