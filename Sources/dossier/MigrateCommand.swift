import ArgumentParser
import DossierCore
import Logging
import PostgresNIO

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending migrations from MIGRATIONS_DIR as the owner role (MIGRATE_DATABASE_URL).",
        discussion: """
            Each file runs in its own transaction with its schema_migrations row. Refuses when an applied \
            file changed or the database knows migrations this build does not. Safe to start twice at once.
            """
    )

    func run() async throws {
        let logger = Environment.bootstrapLogging(label: "dossier.migrate")
        let config = Environment.load(DatabaseConfig.self)
        do {
            let migrations = try Migration.load(directory: config.migrationsDirectory)
            let applied = try await Self.migrate(migrations, config: config, logger: logger)
            logger.info(
                "schema is current",
                metadata: [
                    "applied_now": .stringConvertible(applied.count), "known": .stringConvertible(migrations.count),
                ]
            )
        } catch let error as MigrationError {
            Environment.fail(error.description)
        } catch {
            Environment.fail(PostgresErrorText.describe(error))
        }
    }

    static func migrate(_ migrations: [Migration], config: DatabaseConfig, logger: Logger) async throws -> [Migration] {
        let failpoints = Failpoints(environment: Environment.variables)
        return try await PostgresClient.withClient(url: config.migrateURL, maximumConnections: 1, logger: logger) {
            try await Migrator(client: $0, logger: logger, failpoints: failpoints).migrate(migrations)
        }
    }
}
