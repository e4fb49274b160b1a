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

    /// Runs `body` in one transaction; the error `body` threw (a refusal, a constraint
    /// violation) reaches the caller unwrapped, so it can be reported as what it is.
    public func transaction<Result: Sendable>(
        _ body: (DatabaseConnection) async throws -> Result
    ) async throws -> Result {
        do {
            return try await client.withTransaction(logger: logger) { try await body($0) }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error.commitError ?? error.beginError ?? error
        }
    }

    public func read<Result: Sendable>(_ body: (DatabaseConnection) async throws -> Result) async throws -> Result {
        try await client.withConnection { try await body($0) }
    }
}
