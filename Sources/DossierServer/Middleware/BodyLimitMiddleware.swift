import Hummingbird
import NIOCore

/// Caps request bodies (1 MiB by default, more where an operation says so): refused from
/// `Content-Length` before a byte is read, and mid-stream for chunked bodies or clients that send
/// more than they announced.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = DossierRequestContext

    let defaultLimit: Int
    /// Larger limits by exact path.
    let limits: [String: Int]
    /// The limit of upload paths, which end in `suffix`.
    let uploadLimit: (suffix: String, bytes: Int)

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        let limit =
            limits[path]
            ?? (request.method == .post && path.hasSuffix(uploadLimit.suffix) ? uploadLimit.bytes : defaultLimit)
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw RequestBodyTooLarge(limit: limit)
        }
        var request = request
        request.body = RequestBody(asyncSequence: LimitedBody(base: request.body, limit: limit))
        return try await next(request, context)
    }
}

/// The request body, failing with `RequestBodyTooLarge` as soon as more than `limit` bytes arrive.
struct LimitedBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let base: RequestBody
    let limit: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let limit: Int
        var received = 0

        mutating func next() async throws -> ByteBuffer? {
            guard let buffer = try await base.next() else { return nil }
            received += buffer.readableBytes
            guard received <= limit else { throw RequestBodyTooLarge(limit: limit) }
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), limit: limit)
    }
}
