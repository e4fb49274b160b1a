import HTTPTypes

/// The stable kinds of problem this API reports. The `type` URI of each never changes once
/// published: clients branch on it.
public struct ProblemType: Sendable, Equatable {
    public let slug: String
    public let title: String
    public let status: HTTPResponse.Status

    public var uri: String { "https://dossier.example/problems/\(slug)" }

    public static let malformedRequest = ProblemType(
        slug: "malformed-request",
        title: "The request is malformed",
        status: .badRequest
    )
    public static let unknownField = ProblemType(
        slug: "unknown-field",
        title: "The request body has a field this operation does not accept",
        status: .badRequest
    )
    public static let notFound = ProblemType(
        slug: "not-found",
        title: "Not found",
        status: .notFound
    )
    public static let methodNotAllowed = ProblemType(
        slug: "method-not-allowed",
        title: "Method not allowed",
        status: .methodNotAllowed
    )
    public static let notAcceptable = ProblemType(
        slug: "not-acceptable",
        title: "No acceptable representation",
        status: .notAcceptable
    )
    public static let contentTooLarge = ProblemType(
        slug: "content-too-large",
        title: "The request body is too large",
        status: .contentTooLarge
    )
    public static let unsupportedMediaType = ProblemType(
        slug: "unsupported-media-type",
        title: "Unsupported content type",
        status: .unsupportedMediaType
    )
    public static let validationFailed = ProblemType(
        slug: "validation-failed",
        title: "The request breaks a rule",
        status: .unprocessableContent
    )
    public static let internalError = ProblemType(
        slug: "internal-error",
        title: "Internal error",
        status: .internalServerError
    )
    public static let serviceUnavailable = ProblemType(
        slug: "service-unavailable",
        title: "Service unavailable",
        status: .serviceUnavailable
    )
}
