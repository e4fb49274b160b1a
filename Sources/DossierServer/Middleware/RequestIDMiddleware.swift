import Foundation
import HTTPTypes
import Hummingbird

extension HTTPField.Name {
    static let requestID = HTTPField.Name("X-Request-Id")!
}

/// Gives every request an id: the client's `X-Request-Id` when it is a sane token, otherwise a
/// new UUID. The id is echoed in the response, set on the logger and bound to the task.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = DossierRequestContext

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        let id = Self.accept(request.headers[.requestID]) ?? UUID().lowercasedString
        context.requestID = id
        context.logger[metadataKey: "hb.request.id"] = nil
        context.logger[metadataKey: "request_id"] = .string(id)
        let sink = ResponseHeaderSink()
        var response = try await RequestScope.$requestID.withValue(id) {
            try await RequestScope.$clientIP.withValue(context.clientIP) {
                try await RequestScope.$target.withValue(request.uri.description) {
                    try await ResponseHeaderSink.$current.withValue(sink) {
                        try await next(request, context)
                    }
                }
            }
        }
        sink.apply(to: &response.headers)
        response.headers[.requestID] = id
        return response
    }

    /// 1-128 characters of `A-Za-z0-9._:-`: enough for UUIDs and tracing ids, nothing that could
    /// forge a log line or smuggle a header.
    static func accept(_ candidate: String?) -> String? {
        guard let candidate, (1...128).contains(candidate.utf8.count) else { return nil }
        let allowed = candidate.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: ":"), UInt8(ascii: "-"):
                true
            default: false
            }
        }
        return allowed ? candidate : nil
    }
}
