import Foundation
import Logging

/// Configuration of the processes, read once from the environment (12-factor). Each command
/// loads only the parts it needs, so `dossier migrate` does not ask for the HTTP port.
public enum Config {
    /// Loads one part and throws every problem found, each naming its variable.
    public static func load<Part: ConfigPart>(
        _ part: Part.Type,
        from environment: [String: String]
    ) throws(ConfigErrors) -> Part {
        var reader = EnvironmentReader(environment)
        let value = Part(reading: &reader)
        guard reader.errors.isEmpty, let value else { throw ConfigErrors(errors: reader.errors) }
        return value
    }
}

/// A group of variables that is read and validated together.
public protocol ConfigPart: Sendable {
    /// Returns nil only after recording at least one error in the reader.
    init?(reading reader: inout EnvironmentReader)
}

/// `LOG_LEVEL` (trace ... critical, default info) and `LOG_FORMAT` (json or text, default json).
public struct LoggingConfig: ConfigPart {
    public var level: Logger.Level
    public var format: LogFormat

    public init(level: Logger.Level = .info, format: LogFormat = .json) {
        self.level = level
        self.format = format
    }

    public init?(reading reader: inout EnvironmentReader) {
        let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
        level = reader.parse("LOG_LEVEL", default: .info, expected: "one of \(levels)") {
            Logger.Level(rawValue: $0.lowercased())
        }
        format = reader.parse("LOG_FORMAT", default: .json, expected: "json or text") {
            LogFormat(rawValue: $0.lowercased())
        }
    }
}

/// `DATABASE_URL` (the application role), `MIGRATE_DATABASE_URL` (the owner role, defaults to
/// `DATABASE_URL`) and `MIGRATIONS_DIR` (default `Migrations`).
public struct DatabaseConfig: ConfigPart {
    public var url: DatabaseURL
    public var migrateURL: DatabaseURL
    public var migrationsDirectory: String

    public init(url: DatabaseURL, migrateURL: DatabaseURL? = nil, migrationsDirectory: String) {
        self.url = url
        self.migrateURL = migrateURL ?? url
        self.migrationsDirectory = migrationsDirectory
    }

    public init?(reading reader: inout EnvironmentReader) {
        let url = Self.url("DATABASE_URL", required: true, &reader)
        let migrateURL = Self.url("MIGRATE_DATABASE_URL", required: false, &reader)
        guard let url else { return nil }
        self.init(
            url: url,
            migrateURL: migrateURL,
            migrationsDirectory: reader.value("MIGRATIONS_DIR") ?? "Migrations"
        )
    }

    private static func url(_ name: String, required: Bool, _ reader: inout EnvironmentReader) -> DatabaseURL? {
        guard let text = required ? reader.required(name) : reader.value(name) else { return nil }
        do {
            return try DatabaseURL(parsing: text)
        } catch {
            reader.fail(name, error.description)
            return nil
        }
    }
}

/// Everything `dossier serve` needs: the database, `HTTP_HOST` (default 127.0.0.1), `HTTP_PORT`
/// (default 8080), `PUBLIC_BASE_URL` (default from host and port) and `DOSSIER_SECRET_KEY`.
public struct ServeConfig: ConfigPart {
    public var database: DatabaseConfig
    public var httpHost: String
    public var httpPort: Int
    public var publicBaseURL: String
    public var secretKey: SecretKey
    public var attachmentLimits: AttachmentLimits
    /// How long a client has to send a request's headers (`HTTP_HEADER_TIMEOUT_SECONDS`, 10).
    public var headerTimeoutSeconds: Int

    public init(
        database: DatabaseConfig,
        httpHost: String = "127.0.0.1",
        httpPort: Int = 8080,
        publicBaseURL: String? = nil,
        secretKey: SecretKey,
        attachmentLimits: AttachmentLimits = AttachmentLimits(),
        headerTimeoutSeconds: Int = 10
    ) {
        self.database = database
        self.headerTimeoutSeconds = headerTimeoutSeconds
        self.httpHost = httpHost
        self.httpPort = httpPort
        self.publicBaseURL = publicBaseURL ?? "http://\(httpHost):\(httpPort)"
        self.secretKey = secretKey
        self.attachmentLimits = attachmentLimits
    }

    public init?(reading reader: inout EnvironmentReader) {
        let database = DatabaseConfig(reading: &reader)
        let host = reader.value("HTTP_HOST") ?? "127.0.0.1"
        let port = reader.parse("HTTP_PORT", default: 8080, expected: "a port number 0-65535") {
            Int($0).flatMap { (0...65535).contains($0) ? $0 : nil }
        }
        let publicBaseURL = reader.value("PUBLIC_BASE_URL")
        if let url = publicBaseURL, !(url.hasPrefix("https://") || url.hasPrefix("http://")) || url.hasSuffix("/") {
            reader.fail("PUBLIC_BASE_URL", "must be an http(s) URL without a trailing slash")
        }
        let secretKey = SecretKey(reading: &reader)
        let defaults = AttachmentLimits()
        let bytes = { (text: String) -> Int? in Int(text).flatMap { $0 > 0 ? $0 : nil } }
        let limits = AttachmentLimits(
            document: reader.parse(
                "ATTACHMENT_MAX_DOCUMENT_BYTES",
                default: defaults.document,
                expected: "a positive number of bytes",
                bytes
            ),
            video: reader.parse(
                "ATTACHMENT_MAX_VIDEO_BYTES",
                default: defaults.video,
                expected: "a positive number of bytes",
                bytes
            )
        )
        let headerTimeout = reader.parse(
            "HTTP_HEADER_TIMEOUT_SECONDS",
            default: 10,
            expected: "a number of seconds 1-300"
        ) { Int($0).flatMap { (1...300).contains($0) ? $0 : nil } }
        guard let database, let secretKey else { return nil }
        self.init(
            database: database,
            httpHost: host,
            httpPort: port,
            publicBaseURL: publicBaseURL,
            secretKey: secretKey,
            attachmentLimits: limits,
            headerTimeoutSeconds: headerTimeout
        )
    }
}

/// Everything `dossier worker` needs: the database, `DOSSIER_SECRET_KEY`, `WORKER_HTTP_HOST`
/// (default 127.0.0.1) and `WORKER_HTTP_PORT` (default 8081) for `/health`, `/ready` and
/// `/metrics`, and `WORKER_LEASE_SECONDS` (default 60): how long a claimed job may go without a
/// heartbeat before another replica rescues it.
public struct WorkerConfig: ConfigPart {
    public var database: DatabaseConfig
    public var secretKey: SecretKey
    public var httpHost: String
    public var httpPort: Int
    public var lease: Duration

    public init(
        database: DatabaseConfig,
        secretKey: SecretKey,
        httpHost: String = "127.0.0.1",
        httpPort: Int = 8081,
        lease: Duration = .seconds(60)
    ) {
        self.database = database
        self.secretKey = secretKey
        self.httpHost = httpHost
        self.httpPort = httpPort
        self.lease = lease
    }

    public init?(reading reader: inout EnvironmentReader) {
        let database = DatabaseConfig(reading: &reader)
        let host = reader.value("WORKER_HTTP_HOST") ?? "127.0.0.1"
        let port = reader.parse("WORKER_HTTP_PORT", default: 8081, expected: "a port number 0-65535") {
            Int($0).flatMap { (0...65535).contains($0) ? $0 : nil }
        }
        let lease = reader.parse("WORKER_LEASE_SECONDS", default: 60, expected: "a number of seconds 2-3600") {
            Int($0).flatMap { (2...3600).contains($0) ? $0 : nil }
        }
        let secretKey = SecretKey(reading: &reader)
        guard let database, let secretKey else { return nil }
        self.init(database: database, secretKey: secretKey, httpHost: host, httpPort: port, lease: .seconds(lease))
    }
}

/// The business clock of a process: the machine's, or in a test process (`DOSSIER_ENV=test`) the
/// instant `DOSSIER_CLOCK` names (RFC 3339), so a worker started by a test plans for the test's day.
public enum ProcessClock {
    public static func from(environment: [String: String]) -> any WallClock {
        guard environment["DOSSIER_ENV"] == "test", let text = environment["DOSSIER_CLOCK"],
            let instant = ISO8601DateFormatter().date(from: text)
        else { return SystemWallClock() }
        return FixedWallClock(instant)
    }
}

extension SecretKey {
    /// `DOSSIER_SECRET_KEY`, required; nil (with the reason recorded) when missing or malformed.
    init?(reading reader: inout EnvironmentReader) {
        guard let encoded = reader.required("DOSSIER_SECRET_KEY") else { return nil }
        guard let key = SecretKey(base64: encoded) else {
            reader.fail(
                "DOSSIER_SECRET_KEY",
                "must be at least 32 random bytes, base64-encoded (openssl rand -base64 32)"
            )
            return nil
        }
        self = key
    }
}
