import Logging
import NIOSSL
import PostgresNIO

extension PostgresClient {
    /// A connection pool for `url`. Interpolated values in a `PostgresQuery` are sent as bound
    /// parameters, never spliced into the SQL text: that is what makes every hand-written query
    /// in the repositories safe against injection, so no query needs its own comment about it.
    public convenience init(url: DatabaseURL, maximumConnections: Int = 20, logger: Logger) {
        var configuration: PostgresClient.Configuration
        switch url.endpoint {
        case .tcp(let host, let port):
            configuration = .init(
                host: host,
                port: port,
                username: url.username,
                password: url.password,
                database: url.database,
                tls: Self.tls(for: url.tlsMode)
            )
        case .unixSocket(let path):
            configuration = .init(
                unixSocketPath: path,
                username: url.username,
                password: url.password,
                database: url.database
            )
        }
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = .seconds(5)
        self.init(configuration: configuration, backgroundLogger: logger)
    }

    private static func tls(for mode: DatabaseURL.TLSMode) -> PostgresClient.Configuration.TLS {
        var unverified = TLSConfiguration.makeClientConfiguration()
        unverified.certificateVerification = .none
        switch mode {
        case .disable: return .disable
        case .prefer: return .prefer(unverified)
        case .require: return .require(unverified)
        case .verifyFull: return .require(.makeClientConfiguration())
        }
    }
}
