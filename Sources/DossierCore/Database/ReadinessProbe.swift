import Logging
import PostgresNIO

/// Answers "can this process serve requests?": the database answers within the time budget and
/// its schema is exactly the one this build's migrations describe.
public struct ReadinessProbe: Sendable {
    public enum Verdict: Sendable, Equatable {
        case ready(MigrationPlan)
        case notReady(String)
    }

    private let client: PostgresClient
    private let migrations: [Migration]
    private let timeout: Duration
    private let logger: Logger

    public init(client: PostgresClient, migrations: [Migration], timeout: Duration = .seconds(2), logger: Logger) {
        self.client = client
        self.migrations = migrations
        self.timeout = timeout
        self.logger = logger
    }

    public func check() async -> Verdict {
        let migrator = Migrator(client: client, logger: logger)
        let migrations = self.migrations
        do {
            let plan = try await withTimeout(timeout) { try await migrator.plan(for: migrations) }
            guard plan.isCurrent else {
                let names = plan.pending.map(\.name).joined(separator: ", ")
                return .notReady(
                    "The database schema is behind: \(plan.pending.count) pending migration(s) (\(names))."
                )
            }
            return .ready(plan)
        } catch let error as MigrationError {
            return .notReady("The database schema does not match this build: \(error).")
        } catch is TimeoutError {
            return .notReady("The database did not answer within \(timeout).")
        } catch {
            logger.warning("readiness check failed", metadata: ["error": .string(PostgresErrorText.describe(error))])
            return .notReady("The database is unreachable.")
        }
    }
}
