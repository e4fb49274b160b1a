import Foundation
import HTTPTypes
import OpenAPIRuntime

/// An operation of openapi.yaml marked `x-dossier-hand-written`, which the generator leaves out
/// (scripts/generator-config.py): its response is written without the generated serializer. It
/// runs behind the same OpenAPI middlewares, in the same order and with the same operation id, as
/// the generated operations, so authentication, parameter checks and problems are the same.
struct HandWrittenOperation: Sendable {
    typealias Responder = @Sendable (HTTPRequest, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)

    let id: String
    let method: HTTPRequest.Method
    let path: String
    let respond: Responder

    func register(on transport: any ServerTransport, middlewares: [any ServerMiddleware]) throws {
        var next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?) =
            { [respond] request, _, metadata in try await respond(request, metadata) }
        for middleware in middlewares.reversed() {
            next = { [next, id] request, body, metadata in
                try await middleware.intercept(request, body: body, metadata: metadata, operationID: id, next: next)
            }
        }
        try transport.register(next, method: method, path: path)
    }

    /// The generated serializer's check of `Accept` against the one media type a response has:
    /// absent, `*/*`, `type/*` or the type itself (parameters such as `q` aside) are acceptable.
    static func requireAcceptable(_ mediaType: String, in headers: HTTPFields) throws(NotAcceptable) {
        guard let accept = headers[.accept] else { return }
        let type = mediaType.split(separator: "/").first.map(String.init) ?? mediaType
        let ranges = accept.split(separator: ",").map {
            ($0.split(separator: ";").first ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        }
        guard !ranges.contains(where: { $0 == "*/*" || $0 == "\(type)/*" || $0 == mediaType }) else { return }
        throw NotAcceptable(mediaType: mediaType, accepted: ranges)
    }
}

/// `Accept` rules out the only media type the response has (406).
struct NotAcceptable: ProblemConvertible {
    let mediaType: String
    let accepted: [String]

    var problem: ProblemDetails {
        ProblemDetails(
            .notAcceptable,
            detail: "This response is \(mediaType); the Accept header allows only \(accepted.joined(separator: ", "))."
        )
    }
}
