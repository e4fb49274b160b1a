import PostgresNIO

/// A constraint the database refused a write with. Services check first for a friendly message;
/// the constraint is what makes the rule true under concurrency, and this names which one fired.
public struct ConstraintViolation: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case unique = "23505"
        case foreignKey = "23503"
        case exclusion = "23P01"
        case check = "23514"
    }

    public let kind: Kind
    public let constraint: String

    public init?(_ error: any Error) {
        guard let error = error as? PSQLError, let info = error.serverInfo,
            let state = info[.sqlState], let kind = Kind(rawValue: state)
        else { return nil }
        self.kind = kind
        self.constraint = info[.constraintName] ?? ""
    }
}
