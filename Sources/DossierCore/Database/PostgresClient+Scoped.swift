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
        // Nothing tells when run() has started; a lease before that waits for it, as it should,
        // but the pool warns about it, on every one-shot command and every test database.
        var quiet = logger
        quiet.handler = EarlyLeaseWarningFilter(logger.handler)
        let client = PostgresClient(url: url, maximumConnections: maximumConnections, logger: quiet)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            // Let run() start before the first lease, as it did before the filter: under a loaded
            // pool, tests whose first lease raced it timed out waiting for the database.
            try await Task.sleep(for: .milliseconds(5))
            defer { group.cancelAll() }
            return try await body(client)
        }
    }
}

/// Passes everything on but the pool's warning about a lease that came before `run()` started.
private struct EarlyLeaseWarningFilter: LogHandler {
    var wrapped: any LogHandler

    init(_ wrapped: any LogHandler) { self.wrapped = wrapped }

    func log(event: LogEvent) {
        if event.level == .warning, event.message.description.contains("PostgresClient.run()` hasn't been called yet") {
            return
        }
        wrapped.log(event: event)
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }

    var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }
}
