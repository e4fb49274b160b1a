import Hummingbird
import Logging
import OpenAPIRuntime

/// Every error below this point leaves as `application/problem+json` with the request id as
/// `instance`; server errors are logged with their type, never with request bodies.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = DossierRequestContext

    let mapper: ProblemMapper

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = mapper.problem(for: error, method: request.method, path: request.uri.path)
            if problem.status >= 500 {
                // The type names the failure without echoing values that might hold personal data.
                let cause = (error as? ServerError)?.underlyingError ?? error
                context.logger.error(
                    "request failed",
                    metadata: ["error_type": .string(String(reflecting: type(of: cause)))]
                )
            }
            return problem.response(instance: context.requestID)
        }
    }
}
