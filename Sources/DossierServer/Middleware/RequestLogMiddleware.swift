import Hummingbird
import Logging

/// One log line per request: method, path template (never the concrete path, which can hold
/// ids, nor the query), status and duration. Bodies are never logged.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = DossierRequestContext

    let metrics: HTTPMetrics

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - started
        let route = Self.route(context.endpointPath)
        metrics.record(
            method: request.method.rawValue,
            route: route,
            status: Int(response.status.code),
            duration: elapsed
        )
        context.logger.info(
            "request",
            metadata: [
                "method": .string(request.method.rawValue),
                "route": .string(route),
                "status": .stringConvertible(response.status.code),
                "duration_ms": .stringConvertible(elapsed.milliseconds),
            ]
        )
        return response
    }

    /// Unrouted requests share one label, so a scan of random paths cannot explode the metrics.
    static func route(_ endpointPath: String?) -> String {
        guard let endpointPath, endpointPath.hasPrefix("/") else { return "unmatched" }
        return endpointPath
    }
}
