import Logging
import PostgresNIO

extension PostgresClient {
    /// Runs `body` with a pool that lives only for its duration: for one-shot commands
    /// (`dossier migrate`) and tests, where no ServiceGroup owns the client.
    public static func withClient<Result: Sendable>(
        url: DatabaseURL,
        maximumConnections: Int = 4,
        logger: Logger,
        _ body: @Sendable (PostgresClient) async throws -> Result
    ) async throws -> Result {
        let client = PostgresClient(url: url, maximumConnections: maximumConnections, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            // Give run() a moment to mark the pool as running; leasing before that works but
            // logs a misleading warning on every one-shot command.
            try await Task.sleep(for: .milliseconds(5))
            defer { group.cancelAll() }
            return try await body(client)
        }
    }
}
