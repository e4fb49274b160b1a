/// Every operation of the API, named by its `operationId` in openapi.yaml. A test checks that
/// the two lists are the same, so no route exists without a policy.
public enum Operation: String, CaseIterable, Sendable {
    case getHealth, getReadiness
    case getMe
    case listPeople, createPerson, getPerson, updatePerson, recordCompletion, listAccessLog
    case listGroups, createGroup, getGroup
    case listSupervisions, createSupervision
    case listTokens, createToken, revokeToken
    case listServiceClients, createServiceClient, createServiceClientToken

    /// Operations that need no token.
    public var isPublic: Bool { self == .getHealth || self == .getReadiness }
}

/// How the caller stands to the person an operation is about.
public enum Relation: Sendable, Equatable {
    /// The caller is that person.
    case own
    /// The caller supervises that trainee today, as the given kind.
    case supervises(SupervisionKind)
    /// Neither.
    case unrelated
}

/// The outcome of a policy decision.
public enum Decision: Sendable, Equatable {
    /// Allowed under `rule`, which the access log records as the reason access was given.
    case allow(rule: String)
    /// Refused: `notFound` when the caller may not even know the resource exists.
    case deny(Denial)

    public enum Denial: Sendable, Equatable {
        case forbidden
        case notFound
    }
}

/// Need to know (design.md section 4), as one pure function: which caller may do which
/// operation on whom. Handlers never decide access; services ask this and act on the answer.
public enum AccessPolicy {
    public static func decide(_ operation: Operation, caller: Caller, relation: Relation = .unrelated) -> Decision {
        if operation.isPublic { return .allow(rule: "public") }
        if let scope = requiredScope(operation), !caller.scopes.contains(scope) {
            return relation == .own || isVisible(caller: caller, relation: relation) ? .deny(.forbidden) : .deny(.notFound)
        }
        switch operation {
        case .getHealth, .getReadiness, .getMe:
            return .allow(rule: "authenticated")
        case .getPerson:
            return readPerson(caller, relation)
        case .listAccessLog:
            if relation == .own { return .allow(rule: "own") }
            if caller.has(.coordinator) { return .allow(rule: "coordinator") }
            if caller.has(.admin) { return .allow(rule: "admin") }
            return isVisible(caller: caller, relation: relation) ? .deny(.forbidden) : .deny(.notFound)
        case .listPeople, .listSupervisions:
            if caller.serviceClientID != nil { return .allow(rule: "service-client") }
            if caller.has(.admin) { return .allow(rule: "admin") }
            if caller.has(.coordinator) { return .allow(rule: "coordinator") }
            if !caller.roles.isDisjoint(with: SupervisionKind.supervisingRoles) { return .allow(rule: "supervisor") }
            return operation == .listSupervisions ? .allow(rule: "own") : .deny(.forbidden)
        case .createPerson:
            if caller.serviceClientID != nil { return .allow(rule: "service-client") }
            return caller.has(.admin) ? .allow(rule: "admin") : .deny(.forbidden)
        case .updatePerson:
            if relation == .own { return .allow(rule: "own") }
            if caller.has(.admin) { return .allow(rule: "admin") }
            if caller.has(.coordinator) { return .allow(rule: "coordinator") }
            return isVisible(caller: caller, relation: relation) ? .deny(.forbidden) : .deny(.notFound)
        case .recordCompletion:
            if caller.has(.coordinator) { return .allow(rule: "coordinator") }
            if caller.has(.admin) { return .allow(rule: "admin") }
            return relation == .own || isVisible(caller: caller, relation: relation) ? .deny(.forbidden) : .deny(.notFound)
        case .listGroups, .getGroup:
            return .allow(rule: "authenticated")
        case .createGroup, .createSupervision:
            if caller.serviceClientID != nil { return .allow(rule: "service-client") }
            if caller.has(.coordinator) { return .allow(rule: "coordinator") }
            return caller.has(.admin) ? .allow(rule: "admin") : .deny(.forbidden)
        case .listTokens, .createToken, .revokeToken:
            return caller.personID == nil ? .deny(.forbidden) : .allow(rule: "own")
        case .listServiceClients, .createServiceClient, .createServiceClientToken:
            return caller.has(.admin) ? .allow(rule: "admin") : .deny(.forbidden)
        }
    }

    /// The scope a token needs for an operation; nil where the role or ownership alone decides.
    public static func requiredScope(_ operation: Operation) -> Scope? {
        switch operation {
        case .getHealth, .getReadiness, .getMe, .listTokens, .createToken, .revokeToken, .updatePerson:
            nil
        case .getPerson, .listPeople, .listAccessLog, .listGroups, .getGroup, .listSupervisions:
            .peopleRead
        case .createPerson, .recordCompletion, .createGroup, .createSupervision:
            .peopleWrite
        case .listServiceClients, .createServiceClient, .createServiceClientToken:
            .admin
        }
    }

    private static func readPerson(_ caller: Caller, _ relation: Relation) -> Decision {
        if relation == .own { return .allow(rule: "own") }
        if caller.serviceClientID != nil { return .allow(rule: "service-client") }
        if caller.has(.admin) { return .allow(rule: "admin") }
        if caller.has(.coordinator) { return .allow(rule: "coordinator") }
        if case .supervises(let kind) = relation { return .allow(rule: "supervisor:\(kind.rawValue)") }
        return .deny(.notFound)
    }

    /// Whether the caller may know the person exists (and so gets 403, not 404, when refused).
    private static func isVisible(caller: Caller, relation: Relation) -> Bool {
        if case .supervises = relation { return true }
        return relation == .own || caller.serviceClientID != nil || caller.has(.admin) || caller.has(.coordinator)
    }
}
