import Logging
import PostgresNIO

/// A connection as services hand it to repositories; only repositories run SQL on it.
public typealias DatabaseConnection = PostgresConnection

/// The services' handle on PostgreSQL: a short transaction or a plain read, nothing more, so
/// services never see SQL and every write that must be atomic is visibly one `transaction`.
public struct Database: Sendable {
    public let client: PostgresClient
    private let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func transaction<Result: Sendable>(
        _ body: (DatabaseConnection) async throws -> Result
    ) async throws -> Result {
        try await client.withTransaction(logger: logger) { try await body($0) }
    }

    public func read<Result: Sendable>(_ body: (DatabaseConnection) async throws -> Result) async throws -> Result {
        try await client.withConnection { try await body($0) }
    }
}
