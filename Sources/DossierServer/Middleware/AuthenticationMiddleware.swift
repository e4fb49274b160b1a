import DossierCore
import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Establishes the caller of every operation that needs one, from `Authorization: Bearer`,
/// and binds it to the task: generated handlers have no request context to read it from.
///
/// A request without a body to receive (GET, HEAD) is authenticated and answered on one pooled
/// connection; one with a body checks out a connection per step, so a slow upload holds none.
struct AuthenticationMiddleware: ServerMiddleware {
    let tokens: TokenService
    let database: Database

    func intercept(
        _ request: HTTPRequest,
        body: HTTPBody?,
        metadata: ServerRequestMetadata,
        operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        try Self.refuseTokenInQuery(request.path ?? "")
        guard let operation = APIOperation(rawValue: operationID), !operation.isPublic else {
            return try await next(request, body, metadata)
        }
        guard let header = request.headerFields[.authorization] else {
            throw DossierError(
                .unauthorized,
                slug: .unauthorized,
                detail: "This operation needs a token: send Authorization: Bearer dos_..."
            )
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw DossierError(
                .unauthorized,
                slug: .unauthorized,
                detail: "The Authorization header must be Bearer followed by a token."
            )
        }
        let secret = String(parts[1]).trimmingCharacters(in: .whitespaces)
        guard request.method == .get || request.method == .head else {
            return try await authenticated(secret, request, body, metadata, operation, next)
        }
        return try await database.withRequestConnection {
            try await authenticated(secret, request, body, metadata, operation, next)
        }
    }

    private func authenticated(
        _ secret: String,
        _ request: HTTPRequest,
        _ body: HTTPBody?,
        _ metadata: ServerRequestMetadata,
        _ operation: APIOperation,
        _ next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let caller = try await tokens.authenticate(
            secret: secret,
            requestID: RequestScope.requestID,
            clientIP: RequestScope.clientIP,
            accessReason: request.headerFields[.accessReason]
        )
        // The scope is checked here, before any handler looks anything up, so a token without it
        // changes nothing and learns nothing about what exists; the policy checks it again.
        if let scope = AccessPolicy.requiredScope(operation), !caller.scopes.contains(scope) {
            throw DossierError(
                .forbidden,
                slug: .insufficientScope,
                detail: "This token lacks the scope \(scope.rawValue), which \(operation.rawValue) needs.",
                extensions: ["required_scope": scope.rawValue]
            )
        }
        return try await RequestScope.$caller.withValue(caller) {
            try await next(request, body, metadata)
        }
    }

    /// A token in a URL ends up in proxy logs and browser history; refuse it loudly, even when
    /// a valid header is sent too.
    static func refuseTokenInQuery(_ path: String) throws(DossierError) {
        for (name, value) in ParameterCheck.queryItems(of: path) {
            if ["access_token", "token", "api_key"].contains(name.lowercased()) || TokenSecret.looksLikeToken(value) {
                throw DossierError(
                    .badRequest,
                    slug: .tokenInQuery,
                    detail:
                        "Tokens are accepted only in the Authorization header, never in the URL; revoke this token, it may have been logged.",
                    fieldErrors: [FieldError("#/query/\(name)", "must not carry a token")]
                )
            }
        }
    }
}

extension HTTPField.Name {
    static let accessReason = HTTPField.Name("X-Access-Reason")!
}

/// The caller bound by `AuthenticationMiddleware`. Handlers of operations that need a token call
/// this; reaching it without one is a wiring bug, reported as 401 rather than a crash.
func currentCaller() throws -> Caller {
    guard let caller = RequestScope.caller else {
        throw DossierError(.unauthorized, slug: .unauthorized, detail: "This operation needs a token.")
    }
    return caller
}
