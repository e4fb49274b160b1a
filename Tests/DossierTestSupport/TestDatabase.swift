import DossierCore
import Foundation
import Logging
import PostgresNIO

/// A database of its own for one test: cloned from a template that the migrations built once
/// per cluster, and dropped afterwards, so tests run in parallel and leave nothing behind.
///
/// The cluster comes from `DOSSIER_TEST_DATABASE_URL` (the owner role, which may create
/// databases; `make test` sets it), `DOSSIER_TEST_APP_ROLE` (default `dossier_app`) and
/// `DOSSIER_TEST_SUPERUSER` (default `postgres`, the superuser of the clusters `scripts/pg` makes).
public struct TestDatabase: Sendable {
    public let name: String
    /// The owner role, which runs migrations.
    public let ownerURL: DatabaseURL
    /// The application role, which the processes use.
    public let appURL: DatabaseURL
    /// A superuser, for tests that look at the database as someone who may read everything would.
    public let superuserURL: DatabaseURL

    /// Runs `body` with a fresh database that has every migration of `Migrations/` applied.
    public static func withMigrated<Result: Sendable>(
        _ body: @Sendable (TestDatabase) async throws -> Result
    ) async throws -> Result {
        let cluster = try TestCluster.shared
        let template = try await cluster.migratedTemplate()
        return try await cluster.withDatabase(cloning: template, body)
    }

    /// Runs `body` with a fresh database that has no migrations, for tests of the migrator itself.
    public static func withEmpty<Result: Sendable>(
        _ body: @Sendable (TestDatabase) async throws -> Result
    ) async throws -> Result {
        try await TestCluster.shared.withDatabase(cloning: nil, body)
    }

    /// A pool connected as the application role.
    public func withAppClient<Result: Sendable>(
        _ body: @Sendable (PostgresClient) async throws -> Result
    ) async throws -> Result {
        try await PostgresClient.withClient(url: appURL, logger: TestLogger.make("test.app"), body)
    }

    /// A pool connected as a superuser.
    public func withSuperuserClient<Result: Sendable>(
        _ body: @Sendable (PostgresClient) async throws -> Result
    ) async throws -> Result {
        try await PostgresClient.withClient(url: superuserURL, logger: TestLogger.make("test.superuser"), body)
    }

    /// A pool connected as the owner role.
    public func withOwnerClient<Result: Sendable>(
        _ body: @Sendable (PostgresClient) async throws -> Result
    ) async throws -> Result {
        try await PostgresClient.withClient(url: ownerURL, logger: TestLogger.make("test.owner"), body)
    }
}

/// Where the test suite finds its files, independent of the working directory.
public enum PackagePaths {
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static var migrations: String { root.appendingPathComponent("Migrations").path }
}

public enum TestLogger {
    /// Tests log warnings and errors only, so a green run prints its summary and a red one the
    /// failing test's trouble, not every request line.
    public static func make(_ label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = .warning
        return logger
    }
}

extension DatabaseURL {
    /// The URL as text for a child process's environment.
    public var text: String {
        let password = self.password.map { ":\($0)" } ?? ""
        switch endpoint {
        case .tcp(let host, let port):
            return "postgres://\(username)\(password)@\(host):\(port)/\(database)?sslmode=\(tlsMode.rawValue)"
        case .unixSocket(let path):
            let directory = (path as NSString).deletingLastPathComponent
            let port = path.split(separator: ".").last.map(String.init) ?? "5432"
            return "postgres://\(username)\(password)@localhost:\(port)/\(database)?host=\(directory)"
        }
    }
}

extension TestDatabase {
    /// A fingerprint of every row of every table, to prove that a refused request changed nothing.
    public func digest() async throws -> [String: String] {
        try await withOwnerClient { client in
            var tables: [String] = []
            let rows = try await client.query(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
            for try await name in rows.decode(String.self) { tables.append(name) }
            var digest: [String: String] = [:]
            for table in tables {
                // Table names come from the catalog, not from input; identifiers cannot be bound.
                let query = PostgresQuery(
                    unsafeSQL: "SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"\(table)\" t"
                )
                for try await value in try await client.query(query).decode(String.self) { digest[table] = value }
            }
            return digest
        }
    }
}
