import Logging
import PostgresNIO

/// A connection as services hand it to repositories; only repositories run SQL on it.
public typealias DatabaseConnection = PostgresConnection

/// The services' handle on PostgreSQL: a short transaction or a plain read, nothing more, so
/// services never see SQL and every write that must be atomic is visibly one `transaction`.
///
/// Inside `withRequestConnection` every `read` and `transaction` of the task runs on the one
/// connection the request checked out, so authenticating and answering a request cost one pool
/// checkout instead of three.
public struct Database: Sendable {
    public let client: PostgresClient
    private let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The connection the request checked out; nil inside a `read` or `transaction` that uses
    /// it, so whatever those nest runs on the pool exactly as it would without a request.
    @TaskLocal private static var requestConnection: PostgresConnection?

    /// Runs `body` with one pooled connection bound to the task. Only for work that never waits
    /// on a client in between (a request without a body to receive), so a slow sender cannot
    /// hold connections of the pool.
    public func withRequestConnection<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        try await client.withConnection { connection in
            try await Self.$requestConnection.withValue(connection) { try await body() }
        }
    }

    /// Runs `body` in one transaction; the error `body` threw (a refusal, a constraint
    /// violation) reaches the caller unwrapped, so it can be reported as what it is.
    public func transaction<Result: Sendable>(
        _ body: (DatabaseConnection) async throws -> Result
    ) async throws -> Result {
        try await Self.unwrapping {
            if let connection = Self.requestConnection {
                return try await connection.withTransaction(logger: logger) { connection in
                    try await Self.$requestConnection.withValue(nil) { try await body(connection) }
                }
            }
            return try await client.withTransaction(logger: logger) { try await body($0) }
        }
    }

    public func read<Result: Sendable>(_ body: (DatabaseConnection) async throws -> Result) async throws -> Result {
        if let connection = Self.requestConnection {
            return try await Self.$requestConnection.withValue(nil) { try await body(connection) }
        }
        return try await client.withConnection { try await body($0) }
    }

    private static func unwrapping<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error.commitError ?? error.beginError ?? error
        }
    }
}
