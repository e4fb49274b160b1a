import Foundation

/// How the worker sends mail, from the environment. Without `SMTP_URL` the worker sends none
/// and plans no digest; with it, `MAIL_FROM` is required.
///
/// - `SMTP_URL`: `smtps://host:465` (TLS from the first byte), `smtp://host:587` (STARTTLS
///   required), or `smtp+insecure://host:port` (no TLS: a sink on loopback, or a mail catcher in
///   a compose network). User and password may be in the URL (percent-encoded) or in
///   `SMTP_USERNAME` and `SMTP_PASSWORD`; they go over TLS only.
/// - `SMTP_CA_FILE`: a PEM file of roots to trust besides the system's (a private relay).
/// - `SMTP_TIMEOUT_SECONDS`: caps every SMTP timeout (RFC 5321's minutes by default).
/// - `MAIL_FROM`: the sender, `Name <address>` or an address; bounces go to it too.
/// - `MAIL_TEMPLATES_DIR`: the institute's own templates instead of the bundled ones.
/// - `PUBLIC_BASE_URL`: where links in mail point (default `http://127.0.0.1:8080`).
public struct MailConfig: ConfigPart {
    public enum Security: String, Sendable {
        case implicitTLS = "smtps"
        case startTLS = "smtp"
        case none = "smtp+insecure"
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    public var caFile: String?
    public var timeoutCap: Int64?
    public var fromAddress: String
    public var fromName: String?
    public var templatesDirectory: String?
    public var publicBaseURL: String

    /// The domain of every Message-ID: the sender's.
    public var messageDomain: String { String(fromAddress.split(separator: "@").last ?? "localhost") }

    /// Nil without `SMTP_URL` (mail is off), or after recording what is wrong.
    public static func load(from environment: [String: String]) throws(ConfigErrors) -> MailConfig? {
        guard environment["SMTP_URL"]?.trimmingCharacters(in: .whitespaces).isEmpty == false else { return nil }
        return try Config.load(MailConfig.self, from: environment)
    }

    /// `MAIL_FROM` as an address and an optional display name: `Name <address>` or an address.
    public static func sender(_ text: String) -> (address: String, name: String?) {
        guard let open = text.lastIndex(of: "<"), text.hasSuffix(">") else { return (text, nil) }
        let address = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        let name = text[..<open].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: .init(charactersIn: "\""))
        return (address, name.isEmpty ? nil : name)
    }

    public init?(reading reader: inout EnvironmentReader) {
        guard let text = reader.required("SMTP_URL") else { return nil }
        guard let components = URLComponents(string: text), let scheme = components.scheme.flatMap(Security.init),
            let host = components.host, !host.isEmpty, components.path.isEmpty || components.path == "/"
        else {
            reader.fail("SMTP_URL", "must be smtps://host[:port], smtp://host[:port] or smtp+insecure://host[:port]")
            return nil
        }
        let port = components.port ?? (scheme == .implicitTLS ? 465 : scheme == .startTLS ? 587 : 25)
        guard (1...65535).contains(port) else {
            reader.fail("SMTP_URL", "has a port outside 1-65535")
            return nil
        }
        let from = reader.required("MAIL_FROM")
        let (fromAddress, fromName) = from.map(Self.sender) ?? ("", nil)
        if from != nil, fromAddress.split(separator: "@").count != 2 {
            reader.fail("MAIL_FROM", "must be an address, or Name <address>")
        }
        let timeoutText = reader.value("SMTP_TIMEOUT_SECONDS")
        let timeout = timeoutText.flatMap { Int64($0) }.flatMap { $0 > 0 ? $0 : nil }
        if timeoutText != nil, timeout == nil {
            reader.fail("SMTP_TIMEOUT_SECONDS", "must be a positive number of seconds")
        }
        let base = reader.value("PUBLIC_BASE_URL") ?? "http://127.0.0.1:8080"
        if !(base.hasPrefix("https://") || base.hasPrefix("http://")) || base.hasSuffix("/") {
            reader.fail("PUBLIC_BASE_URL", "must be an http(s) URL without a trailing slash")
        }
        if let ca = reader.value("SMTP_CA_FILE"), !FileManager.default.isReadableFile(atPath: ca) {
            reader.fail("SMTP_CA_FILE", "names no readable file")
        }
        guard from != nil else { return nil }
        self.host = host
        self.port = port
        self.security = scheme
        self.username = components.user?.removingPercentEncoding ?? reader.value("SMTP_USERNAME")
        self.password = components.password?.removingPercentEncoding ?? reader.value("SMTP_PASSWORD")
        self.caFile = reader.value("SMTP_CA_FILE")
        self.timeoutCap = timeout
        self.fromAddress = fromAddress
        self.fromName = fromName
        self.templatesDirectory = reader.value("MAIL_TEMPLATES_DIR")
        self.publicBaseURL = base
    }
}
