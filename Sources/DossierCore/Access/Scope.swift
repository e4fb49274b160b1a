/// What a token may be used for. A person's token carries at most the scopes of that person's
/// roles; a service client's token at most the scopes of the client.
public enum Scope: String, CaseIterable, Sendable, Comparable {
    case peopleRead = "people:read"
    case peopleWrite = "people:write"
    case portfolioRead = "portfolio:read"
    case portfolioWrite = "portfolio:write"
    case ipoRead = "ipo:read"
    case ipoWrite = "ipo:write"
    case evaluationsRead = "evaluations:read"
    case evaluationsWrite = "evaluations:write"
    case formsRead = "forms:read"
    case formsWrite = "forms:write"
    case tokensRead = "tokens:read"
    case tokensWrite = "tokens:write"
    case admin

    public static func < (lhs: Scope, rhs: Scope) -> Bool { lhs.rawValue < rhs.rawValue }

    /// What every person may do with their own account, whatever their roles: read themselves and
    /// the forms, change their own name and e-mail (`people:write`; the policy decides whose
    /// record), and manage their own tokens.
    static let everyone: Set<Scope> = [.peopleRead, .peopleWrite, .formsRead, .tokensRead, .tokensWrite]

    /// The scopes a role brings; a person's scopes are the union over their roles.
    public static func granted(to roles: Set<Role>) -> Set<Scope> {
        roles.reduce(into: roles.isEmpty ? Set<Scope>() : everyone) { scopes, role in
            switch role {
            case .trainee:
                scopes.formUnion([
                    .portfolioRead, .portfolioWrite, .ipoRead, .ipoWrite, .evaluationsRead, .evaluationsWrite,
                ])
            case .trainer, .standInTrainer, .teacher, .internshipSupervisor:
                scopes.formUnion([.portfolioRead, .portfolioWrite, .ipoRead, .evaluationsRead, .evaluationsWrite])
            case .coordinator:
                scopes.formUnion([
                    .portfolioRead, .portfolioWrite, .ipoRead, .ipoWrite, .evaluationsRead, .evaluationsWrite,
                    .formsWrite,
                ])
            case .admin:
                scopes.insert(.admin)
            }
        }
    }
}
