import Hummingbird
import Logging

/// The per-request context: Hummingbird's core storage plus the request id that every log line,
/// response header and problem `instance` carries.
public struct DossierRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var requestID: String

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.requestID = ""
    }
}

/// Values of the current request that generated handlers cannot receive as parameters: the
/// OpenAPI handler signature has no context, so the last middleware binds them to the task.
public enum RequestScope {
    @TaskLocal public static var requestID: String = ""
}
