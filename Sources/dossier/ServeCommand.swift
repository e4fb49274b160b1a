import ArgumentParser
import DossierCore
import DossierServer
import Logging
import PostgresNIO
import ServiceLifecycle

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the JSON REST API until SIGTERM or SIGINT, which drain in-flight requests and exit 0."
    )

    @Flag(help: "Apply pending migrations (as MIGRATE_DATABASE_URL) before serving instead of refusing to start.")
    var migrate = false

    func run() async throws {
        let logger = Environment.bootstrapLogging(label: "dossier.api")
        let config = Environment.load(ServeConfig.self)
        let migrations: [Migration]
        do {
            migrations = try Migration.load(directory: config.database.migrationsDirectory)
        } catch {
            Environment.fail(error.description)
        }
        let database = PostgresClient(url: config.database.url, logger: logger)
        var dependencies = ServerDependencies(
            database: database,
            migrations: migrations,
            secretKey: config.secretKey,
            publicBaseURL: config.publicBaseURL,
            logger: logger,
            attachmentLimits: config.attachmentLimits
        )
        // The digest preview renders as the worker would: the same sender and templates.
        let environment = Environment.variables
        if let from = environment["MAIL_FROM"], !from.isEmpty {
            dependencies.mailFrom = MailConfig.sender(from).address
        }
        dependencies.mailTemplates = environment["MAIL_TEMPLATES_DIR"]
        let migrateFirst = migrate
        let app = try buildApplication(config: config, dependencies: dependencies) {
            if migrateFirst {
                _ = try await MigrateCommand.migrate(migrations, config: config.database, logger: logger)
            }
            try await Environment.requireCurrentSchema(migrations, client: database, logger: logger)
        }
        await Environment.runUntilSignalled([database, app], logger: logger)
    }
}

/// `serve` or `worker` found migrations that are not applied; neither runs on a schema it was not built for.
struct StaleSchema: Error, CustomStringConvertible {
    let pending: [String]

    var description: String {
        "the database schema is behind: \(pending.count) pending migration(s) (\(pending.joined(separator: ", "))); "
            + "run `dossier migrate` or start with `dossier serve --migrate`"
    }
}
