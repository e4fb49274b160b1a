import DossierCore
import Logging
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
}
