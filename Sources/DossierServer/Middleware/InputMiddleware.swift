import DossierCore
import HTTPTypes
import OpenAPIRuntime

/// Checks what the generated decoder cannot check or cannot name, before it runs: the query and
/// path parameters against the contract (`ParameterCheck`) and, in a JSON body, text PostgreSQL
/// cannot store and integers beyond the contract's range (`JSONBodyCheck`).
struct InputMiddleware: ServerMiddleware {
    let maximumBodyBytes: Int

    func intercept(
        _ request: HTTPRequest,
        body: HTTPBody?,
        metadata: ServerRequestMetadata,
        operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        try ParameterCheck.check(request, metadata, operationID: operationID)
        let checked = try await JSONBodyCheck.check(request, body, maximumBytes: maximumBodyBytes)
        return try await next(request, checked, metadata)
    }
}
