import DossierAPI

extension Components.Schemas.Problem {
    /// A problem returned as a declared response of an operation; `instance` is the current request id.
    init(_ problem: ProblemDetails) {
        self.init(
            _type: problem.type,
            title: problem.title,
            status: problem.status,
            detail: problem.detail,
            instance: RequestScope.requestID,
            errors: problem.errors?.map { .init(pointer: $0.pointer, detail: $0.detail) }
        )
    }
}
