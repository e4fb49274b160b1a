import DossierCore
import HTTPTypes
import Hummingbird
import OpenAPIRuntime

/// Turns any error that reaches the edge into the problem the client sees. Errors from generated
/// handlers arrive wrapped in the OpenAPI runtime's `ServerError`; the cause is underneath.
struct ProblemMapper: Sendable {
    let routes: RouteTable

    func problem(for error: any Error, method: HTTPRequest.Method, path: String) -> ProblemDetails {
        switch error {
        case let convertible as any ProblemConvertible:
            return convertible.problem
        case let error as DossierError:
            return ProblemDetails(error)
        case let error as ServerError:
            return problem(for: error)
        case let error as HTTPError where error.status == .notFound:
            return notFound(method: method, path: path)
        case let error as HTTPError:
            return problem(status: error.status, detail: error.body ?? error.status.reasonPhrase)
        default:
            return ProblemDetails(
                .internalError,
                detail: "The server failed to handle the request; the request id identifies it in the logs."
            )
        }
    }

    private func problem(for error: ServerError) -> ProblemDetails {
        switch error.underlyingError {
        case let convertible as any ProblemConvertible:
            return convertible.problem
        case let error as DossierError:
            return ProblemDetails(error)
        case let decoding as DecodingError:
            return DecodingProblem.problem(for: decoding)
        default:
            return problem(status: error.httpStatus, detail: error.causeDescription)
        }
    }

    private func notFound(method: HTTPRequest.Method, path: String) -> ProblemDetails {
        let allowed = routes.methods(forPath: path)
        guard !allowed.isEmpty else {
            return ProblemDetails(.notFound, detail: "No resource exists at this path.")
        }
        let names = allowed.map(\.rawValue).sorted()
        var headers = HTTPFields()
        headers[.allow] = names.joined(separator: ", ")
        return ProblemDetails(
            .methodNotAllowed,
            detail: "\(method.rawValue) is not allowed here; use \(names.joined(separator: " or ")).",
            headers: headers
        )
    }

    /// Errors the runtime classifies by status (a wrong content type is 415); their description
    /// is safe to show for client errors, and hidden for server errors.
    private func problem(status: HTTPResponse.Status, detail: String) -> ProblemDetails {
        switch status {
        case .unsupportedMediaType:
            ProblemDetails(.unsupportedMediaType, detail: "\(detail).")
        case .notAcceptable:
            ProblemDetails(.notAcceptable, detail: "\(detail).")
        case .notFound:
            ProblemDetails(.notFound, detail: "No resource exists at this path.")
        case .contentTooLarge:
            ProblemDetails(.contentTooLarge, detail: "The request body is too large.")
        case _ where status.kind == .clientError:
            ProblemDetails(.malformedRequest, detail: "\(detail).")
        default:
            ProblemDetails(
                .internalError,
                detail: "The server failed to handle the request; the request id identifies it in the logs."
            )
        }
    }
}
