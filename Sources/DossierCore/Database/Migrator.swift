import Foundation
import Logging
import PostgresNIO

/// Applies migrations in version order, each file in its own transaction together with its
/// `schema_migrations` row, so a crash leaves every file either fully applied or not at all.
public struct Migrator: Sendable {
    /// Session advisory lock that serialises migrators started at the same time (two replicas
    /// booting together): the second waits, then finds nothing pending.
    static let advisoryLockKey: Int64 = 0x646f_7373_6965_72

    private let client: PostgresClient
    private let logger: Logger
    private let failpoints: Failpoints

    public init(client: PostgresClient, logger: Logger, failpoints: Failpoints = .disabled) {
        self.client = client
        self.logger = logger
        self.failpoints = failpoints
    }

    /// Applies what is pending and returns it; throws before applying anything when the database
    /// and the files disagree (a changed file, a migration this build does not know).
    @discardableResult
    public func migrate(_ migrations: [Migration]) async throws -> [Migration] {
        try await client.withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock(\(Self.advisoryLockKey))", logger: logger)
            do {
                let applied = try await apply(migrations, on: connection)
                try await connection.query("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))", logger: logger)
                return applied
            } catch {
                // The lock belongs to the session, and the pool keeps the session: release it on
                // every path, or the next migrator on this connection would wait forever.
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))", logger: logger)
                throw error
            }
        }
    }

    private func apply(_ migrations: [Migration], on connection: PostgresConnection) async throws -> [Migration] {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer     PRIMARY KEY,
                name       text        NOT NULL UNIQUE,
                checksum   text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            logger: logger
        )
        let plan = try MigrationPlan(known: migrations, applied: try await Self.applied(on: connection, logger))
        for migration in plan.pending {
            let started = ContinuousClock.now
            try await connection.query("BEGIN", logger: logger)
            do {
                for statement in SQLScript.statements(in: migration.sql) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    """
                    INSERT INTO schema_migrations (version, name, checksum)
                    VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                    """,
                    logger: logger
                )
                await failpoints.reach("migrate.before-commit")
                try await connection.query("COMMIT", logger: logger)
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw MigrationError.failed(migration.name, reason: PostgresErrorText.describe(error))
            }
            logger.info(
                "applied migration",
                metadata: [
                    "migration": .string(migration.name),
                    "duration_ms": .stringConvertible((ContinuousClock.now - started).milliseconds),
                ]
            )
        }
        return plan.pending
    }

    /// Compares the database with `migrations` without changing anything; needs only SELECT.
    public func plan(for migrations: [Migration]) async throws -> MigrationPlan {
        try await client.withConnection { connection in
            try MigrationPlan(known: migrations, applied: try await Self.applied(on: connection, logger))
        }
    }

    private static func applied(on connection: PostgresConnection, _ logger: Logger) async throws -> [AppliedMigration]
    {
        let exists =
            try await connection.query(
                "SELECT to_regclass('schema_migrations') IS NOT NULL",
                logger: logger
            ).collect().first?.decode(Bool.self) ?? false
        guard exists else { return [] }
        var applied: [AppliedMigration] = []
        let rows = try await connection.query(
            "SELECT version, name, checksum FROM schema_migrations ORDER BY version",
            logger: logger
        )
        for try await (version, name, checksum) in rows.decode((Int, String, String).self) {
            applied.append(AppliedMigration(version: version, name: name, checksum: checksum))
        }
        return applied
    }
}
