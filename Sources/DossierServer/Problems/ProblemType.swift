import DossierCore
import HTTPTypes

/// The stable kinds of problem this API reports. The `type` URI of each never changes once
/// published: clients branch on it.
public struct ProblemType: Sendable, Equatable {
    public let slug: ProblemSlug
    public let title: String
    public let status: HTTPResponse.Status

    public var uri: String { "https://dossier.example/problems/\(slug)" }

    public static let malformedRequest = ProblemType(
        slug: .malformedRequest,
        title: "The request is malformed",
        status: .badRequest
    )
    public static let unknownField = ProblemType(
        slug: .unknownField,
        title: "The request body has a field this operation does not accept",
        status: .badRequest
    )
    public static let notFound = ProblemType(
        slug: .notFound,
        title: "Not found",
        status: .notFound
    )
    public static let methodNotAllowed = ProblemType(
        slug: .methodNotAllowed,
        title: "Method not allowed",
        status: .methodNotAllowed
    )
    public static let notAcceptable = ProblemType(
        slug: .notAcceptable,
        title: "No acceptable representation",
        status: .notAcceptable
    )
    public static let contentTooLarge = ProblemType(
        slug: .contentTooLarge,
        title: "The request body is too large",
        status: .contentTooLarge
    )
    public static let unsupportedMediaType = ProblemType(
        slug: .unsupportedMediaType,
        title: "Unsupported content type",
        status: .unsupportedMediaType
    )
    public static let validationFailed = ProblemType(
        slug: .validationFailed,
        title: "The request breaks a rule",
        status: .unprocessableContent
    )
    public static let internalError = ProblemType(
        slug: .internalError,
        title: "Internal error",
        status: .internalServerError
    )
    public static let serviceUnavailable = ProblemType(
        slug: .serviceUnavailable,
        title: "Service unavailable",
        status: .serviceUnavailable
    )
}
