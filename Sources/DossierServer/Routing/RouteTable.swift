import HTTPTypes
import Synchronization

/// Every declared (method, path template) pair. Hummingbird answers 404 when a path exists but
/// the method does not; this table lets the problem middleware answer 405 with `Allow` instead.
public final class RouteTable: Sendable {
    private let routes = Mutex<[String: Set<HTTPRequest.Method>]>([:])

    public init() {}

    func add(_ method: HTTPRequest.Method, _ template: String) {
        routes.withLock { $0[template, default: []].insert(method) }
    }

    /// The methods declared for the template matching `path`, or an empty set for an unknown path.
    func methods(forPath path: String) -> Set<HTTPRequest.Method> {
        let segments = Self.segments(of: path)
        return routes.withLock { routes in
            routes.filter { Self.matches(template: $0.key, segments: segments) }.values.reduce([], { $0.union($1) })
        }
    }

    private static func segments(of path: String) -> [Substring] {
        let withoutQuery = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return withoutQuery.split(separator: "/")
    }

    private static func matches(template: String, segments: [Substring]) -> Bool {
        let parts = template.split(separator: "/")
        guard parts.count == segments.count else { return false }
        return zip(parts, segments).allSatisfy { part, segment in
            part.hasPrefix("{") || part.hasPrefix(":") || part == segment
        }
    }
}
