import DossierCore
import Logging
import PostgresNIO
import ServiceLifecycle

extension Environment {
    /// Runs a process's services until SIGTERM or SIGINT; a start-up refusal (a stale schema, a
    /// migration the build does not know, an unreachable database) ends it with one clear line.
    static func runUntilSignalled(_ services: [any Service], logger: Logger) async {
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        do {
            try await group.run()
        } catch let error as StaleSchema {
            Environment.fail(error.description)
        } catch let error as MigrationError {
            Environment.fail(error.description)
        } catch {
            Environment.fail(PostgresErrorText.describe(error))
        }
    }

    /// Refuses to run on a schema this build was not made for: a stale one names what is pending.
    static func requireCurrentSchema(
        _ migrations: [Migration],
        client: PostgresClient,
        logger: Logger
    ) async throws {
        let plan = try await Migrator(client: client, logger: logger).plan(for: migrations)
        guard plan.isCurrent else { throw StaleSchema(pending: plan.pending.map(\.name)) }
    }
}
