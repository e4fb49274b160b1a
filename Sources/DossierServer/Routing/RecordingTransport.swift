import HTTPTypes
import Hummingbird
import OpenAPIHummingbird
import OpenAPIRuntime

/// Registers generated operations on the router and records each one in the route table.
struct RecordingTransport: ServerTransport {
    let router: Router<DossierRequestContext>
    let routes: RouteTable

    func register(
        _ handler:
            @escaping @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (
                HTTPResponse, HTTPBody?
            ),
        method: HTTPRequest.Method,
        path: String
    ) throws {
        routes.add(method, path)
        router.register(handler, method: method, path: path)
    }
}
