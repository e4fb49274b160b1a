import ArgumentParser
import DossierCore
import DossierWorker
import Logging
import PostgresNIO
import ServiceLifecycle

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run the background worker (retention, housekeeping) until SIGTERM or SIGINT.",
        discussion: """
            Any number of replicas may run against one database. On SIGTERM a replica stops claiming, gives \
            running jobs 20 seconds, hands unfinished ones back to the queue and exits 0. /health, /ready and \
            /metrics listen on WORKER_HTTP_PORT (default 8081).
            """
    )

    func run() async throws {
        let logger = Environment.bootstrapLogging(label: "dossier.worker")
        let config = Environment.load(WorkerConfig.self)
        let migrations: [Migration]
        do {
            migrations = try Migration.load(directory: config.database.migrationsDirectory)
        } catch {
            Environment.fail(error.description)
        }
        let environment = Environment.variables
        let client = PostgresClient(url: config.database.url, logger: logger)
        let database = Database(client: client, logger: logger)
        var settings = WorkerSettings()
        settings.lease = config.lease
        let metrics = WorkerMetrics()
        let dependencies = WorkerDependencies(
            database: database,
            clock: ProcessClock.from(environment: environment),
            secretKey: config.secretKey,
            settings: settings,
            failpoints: Failpoints(environment: environment),
            metrics: metrics,
            logger: logger
        )
        let worker = buildWorker(dependencies) {
            try await Environment.requireCurrentSchema(migrations, client: client, logger: logger)
        }
        let http = WorkerHTTP.build(
            host: config.httpHost,
            port: config.httpPort,
            database: database,
            migrations: migrations,
            metrics: metrics,
            logger: logger
        )
        await Environment.runUntilSignalled([client, http, worker], logger: logger)
    }
}
