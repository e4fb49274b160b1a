import NIOSSL

/// Where and how to submit mail.
public struct SMTPConfiguration: Sendable {
    public enum Security: Sendable, Equatable {
        /// TLS from the first byte (RFC 8314), port 465.
        case implicitTLS
        /// STARTTLS required (port 587): a server that does not offer it is refused, never used in the clear.
        case startTLS
        /// No TLS, for a sink on loopback (`make run`'s); any other host is refused unless
        /// `plaintextAllowed` says so (a mail catcher in a compose network).
        case none
    }

    public struct Credentials: Sendable {
        public let username: String
        public let password: String

        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }

    /// RFC 5321 section 4.5.3.2, in seconds.
    public struct Timeouts: Sendable {
        public var connect: Int64 = 30
        public var greeting: Int64 = 300
        public var command: Int64 = 300
        public var dataInitiation: Int64 = 120
        public var dataBlock: Int64 = 180
        public var finalDot: Int64 = 600

        public init() {}
    }

    public var host: String
    public var port: Int
    public var security: Security
    /// The name this client gives in EHLO: the sending host's fully qualified name.
    public var heloName: String
    public var credentials: Credentials?
    /// Certificate verification is on (NIOSSL's default); tests add their own root.
    public var tls: TLSConfiguration
    public var timeouts: Timeouts
    /// Lets `Security.none` reach a host off loopback; never for a real relay.
    public var plaintextAllowed = false

    public init(
        host: String,
        port: Int,
        security: Security,
        heloName: String,
        credentials: Credentials? = nil,
        tls: TLSConfiguration = .makeClientConfiguration(),
        timeouts: Timeouts = Timeouts()
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.heloName = heloName
        self.credentials = credentials
        self.tls = tls
        self.timeouts = timeouts
    }

    var isLoopback: Bool { host == "127.0.0.1" || host == "::1" || host == "localhost" }
}
