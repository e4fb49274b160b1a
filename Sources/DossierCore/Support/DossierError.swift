/// A failure the caller can act on. The edge turns it into a problem: `kind` picks the status,
/// `slug` the stable problem type, `detail` and `fieldErrors` say what was wrong.
public struct DossierError: Error, Equatable, Sendable {
    public enum Kind: Sendable, Equatable {
        case badRequest
        case unauthorized
        case forbidden
        case notFound
        case conflict
        case gone
        case preconditionFailed
        case preconditionRequired
        case validation
        case contentTooLarge
        case unsupportedMediaType
        case rangeNotSatisfiable
    }

    public let kind: Kind
    public let slug: ProblemSlug
    public let detail: String
    public let fieldErrors: [FieldError]
    /// Extension members of the problem (RFC 9457 section 3.2), such as the run that disposed of
    /// a portfolio; identifiers only.
    public let extensions: [String: String]

    public init(
        _ kind: Kind,
        slug: ProblemSlug,
        detail: String,
        fieldErrors: [FieldError] = [],
        extensions: [String: String] = [:]
    ) {
        self.kind = kind
        self.slug = slug
        self.detail = detail
        self.fieldErrors = fieldErrors
        self.extensions = extensions
    }

    /// Every broken rule of one request at once (422).
    public static func validation(_ errors: [FieldError]) -> DossierError {
        let detail =
            errors.count == 1
            ? "The field \(errors[0].pointer) \(errors[0].detail)."
            : "\(errors.count) fields break a rule; see errors."
        return DossierError(.validation, slug: .validationFailed, detail: detail, fieldErrors: errors)
    }

    /// 404 for what does not exist and for what the caller may not know exists.
    public static func notFound(_ what: String) -> DossierError {
        DossierError(.notFound, slug: .notFound, detail: "No \(what) with this id exists, or you may not see it.")
    }

    /// 409 for a name that must be unique and is taken.
    public static func duplicateName(_ what: String, _ name: String) -> DossierError {
        DossierError(
            .conflict,
            slug: .duplicateName,
            detail: "A \(what) named \(name) exists already.",
            fieldErrors: [FieldError("/name", "is taken")]
        )
    }

    public static func forbidden(_ detail: String) -> DossierError {
        DossierError(.forbidden, slug: .forbidden, detail: detail)
    }
}

/// One bad field: a JSON Pointer into the request (`/email`) and what is wrong with it.
public struct FieldError: Equatable, Sendable {
    public let pointer: String
    public let detail: String

    public init(_ pointer: String, _ detail: String) {
        self.pointer = pointer
        self.detail = detail
    }

    /// What is wrong with text that holds U+0000, which PostgreSQL cannot store in `text` or `jsonb`.
    public static let nulDetail = "contains a NUL character (\\u0000), which cannot be stored"

    public static func containsNUL(_ pointer: String) -> FieldError { FieldError(pointer, nulDetail) }
}
