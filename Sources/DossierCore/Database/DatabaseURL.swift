import Foundation

/// A parsed `postgres://` URL in the libpq form: `postgres://user:password@host:port/database`,
/// with `?host=/socket/dir` for a unix socket and `?sslmode=disable|prefer|require|verify-full`.
public struct DatabaseURL: Sendable, Equatable {
    public enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        /// The socket file itself (`<dir>/.s.PGSQL.<port>`), which is what PostgresNIO connects to.
        case unixSocket(path: String)
    }

    /// libpq's `sslmode` names. Without one, loopback and sockets use `disable` and any other
    /// host `verify-full`: a production database across a network is never reached unencrypted by default.
    public enum TLSMode: String, Sendable, Equatable, CaseIterable {
        case disable
        case prefer
        case require
        case verifyFull = "verify-full"
    }

    public var endpoint: Endpoint
    public var username: String
    public var password: String?
    public var database: String
    public var tlsMode: TLSMode

    public init(endpoint: Endpoint, username: String, password: String?, database: String, tlsMode: TLSMode) {
        self.endpoint = endpoint
        self.username = username
        self.password = password
        self.database = database
        self.tlsMode = tlsMode
    }

    /// Parses the URL; the error text never contains the password.
    public init(parsing text: String) throws(DatabaseURLError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme else {
            throw .malformed("is not a URL of the form postgres://user@host:port/database")
        }
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw .malformed("must start with postgres:// or postgresql://")
        }
        guard let user = components.user, !user.isEmpty else {
            throw .malformed("names no user (postgres://USER@host/database)")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !database.isEmpty, !database.contains("/") else {
            throw .malformed("names no database (postgres://user@host/DATABASE)")
        }
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") },
            uniquingKeysWith: { _, last in last }
        )
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw .malformed("has a port outside 1-65535") }

        let endpoint: Endpoint
        if let socketDirectory = query["host"], socketDirectory.hasPrefix("/") {
            endpoint = .unixSocket(path: "\(socketDirectory)/.s.PGSQL.\(port)")
        } else if let host = query["host"] ?? components.host, !host.isEmpty {
            endpoint = .tcp(host: host, port: port)
        } else {
            throw .malformed("names no host (postgres://user@HOST/database or ?host=/socket/dir)")
        }

        let tlsMode: TLSMode
        if let mode = query["sslmode"] {
            guard let parsed = TLSMode(rawValue: mode) else {
                throw .malformed("has sslmode=\(mode); use one of disable, prefer, require, verify-full")
            }
            tlsMode = parsed
        } else {
            tlsMode = endpoint.isLocal ? .disable : .verifyFull
        }
        self.init(
            endpoint: endpoint,
            username: user,
            password: components.password,
            database: database,
            tlsMode: tlsMode
        )
    }

    /// The URL without its password, safe for logs and error messages.
    public var redacted: String {
        let password = self.password == nil ? "" : ":***"
        switch endpoint {
        case .tcp(let host, let port):
            return "postgres://\(username)\(password)@\(host):\(port)/\(database)?sslmode=\(tlsMode.rawValue)"
        case .unixSocket(let path):
            return "postgres://\(username)\(password)@/\(database)?socket=\(path)"
        }
    }
}

extension DatabaseURL.Endpoint {
    var isLocal: Bool {
        switch self {
        case .unixSocket: true
        case .tcp(let host, _): ["localhost", "127.0.0.1", "::1", "[::1]"].contains(host)
        }
    }
}

public enum DatabaseURLError: Error, Equatable, CustomStringConvertible {
    case malformed(String)

    public var description: String {
        switch self {
        case .malformed(let problem): problem
        }
    }
}
