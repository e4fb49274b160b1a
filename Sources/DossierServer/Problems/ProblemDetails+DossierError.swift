import DossierCore
import HTTPTypes

extension ProblemDetails {
    /// A domain error as a problem: its kind picks the status and title, its slug the type.
    init(_ error: DossierError) {
        let (status, title): (HTTPResponse.Status, String) =
            switch error.kind {
            case .badRequest: (.badRequest, "The request is malformed")
            case .unauthorized: (.unauthorized, "Authentication required")
            case .forbidden: (.forbidden, "Forbidden")
            case .notFound: (.notFound, "Not found")
            case .conflict: (.conflict, "Conflict with the current state")
            case .gone: (.gone, "Gone")
            case .preconditionFailed: (.preconditionFailed, "The resource changed")
            case .preconditionRequired: (.preconditionRequired, "If-Match required")
            case .validation: (.unprocessableContent, "The request breaks a rule")
            case .contentTooLarge: (.contentTooLarge, "The request body is too large")
            case .unsupportedMediaType: (.unsupportedMediaType, "Unsupported content type")
            case .rangeNotSatisfiable: (.rangeNotSatisfiable, "Range not satisfiable")
            }
        var headers = HTTPFields()
        if error.kind == .unauthorized { headers[.wwwAuthenticate] = #"Bearer realm="dossier""# }
        self.init(
            ProblemType(slug: error.slug, title: title, status: status),
            detail: error.detail,
            errors: error.fieldErrors.map { FieldError(pointer: $0.pointer, detail: $0.detail) },
            headers: headers
        )
        self.extensions = error.extensions
    }
}
