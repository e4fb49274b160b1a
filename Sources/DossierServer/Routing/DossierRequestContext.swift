import DossierCore
import Hummingbird
import Logging

/// The per-request context: Hummingbird's core storage plus the request id that every log line,
/// response header and problem `instance` carries.
public struct DossierRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var requestID: String
    /// The peer's address, for the access log; a proxy in front would show here instead.
    public let clientIP: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.requestID = ""
        self.clientIP = source.channel.remoteAddress?.ipAddress
    }
}

/// Values of the current request that generated handlers cannot receive as parameters: the
/// OpenAPI handler signature has no context, so the last middleware binds them to the task.
public enum RequestScope {
    @TaskLocal public static var requestID: String = ""
    @TaskLocal public static var clientIP: String?
    /// The request target as the client sent it (path and query), from which a list's next-page
    /// link is made by swapping the cursor.
    @TaskLocal public static var target: String = ""
    /// The authenticated caller, bound by `AuthenticationMiddleware` for operations that need one.
    @TaskLocal public static var caller: Caller?
}
