/// Turns a policy decision into either the rule that allowed it or the error the caller sees.
extension Decision {
    public func rule(or what: String) throws(DossierError) -> String {
        switch self {
        case .allow(let rule): return rule
        case .deny(.notFound): throw .notFound(what)
        case .deny(.forbidden):
            throw .forbidden("Your role or token does not allow this.")
        }
    }
}
