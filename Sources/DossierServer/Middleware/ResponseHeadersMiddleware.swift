import HTTPTypes
import Hummingbird

/// Headers every response carries, problems included: `X-Content-Type-Options: nosniff`, so no
/// browser reads a download or a problem as a page, and `Cache-Control: no-store`, so no proxy or
/// browser cache keeps personal data. Only the contract, which holds none, may be cached.
struct ResponseHeadersMiddleware: RouterMiddleware {
    typealias Context = DossierRequestContext

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        if request.uri.path != "/openapi.yaml" { response.headers[.cacheControl] = "no-store" }
        return response
    }
}
