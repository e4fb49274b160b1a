/// Who is calling, as established from their token: the person or service client, the token,
/// and what the token may do. Services receive it as an explicit `caller` parameter.
public struct Caller: Sendable, Equatable {
    public enum Principal: Sendable, Equatable {
        case person(PersonID, roles: Set<Role>)
        case serviceClient(ServiceClientID)
    }

    public let principal: Principal
    public let tokenID: TokenID
    public let scopes: Set<Scope>
    public let requestID: String
    public let clientIP: String?
    /// Why the caller reads data their role reaches only with a reason (`X-Access-Reason`); it is
    /// recorded with every access-log row of the request.
    public let accessReason: String?

    public init(
        principal: Principal,
        tokenID: TokenID,
        scopes: Set<Scope>,
        requestID: String,
        clientIP: String?,
        accessReason: String? = nil
    ) {
        self.principal = principal
        self.tokenID = tokenID
        self.scopes = scopes
        self.requestID = requestID
        self.clientIP = clientIP
        self.accessReason = accessReason
    }

    public var personID: PersonID? {
        if case .person(let id, _) = principal { return id }
        return nil
    }

    public var serviceClientID: ServiceClientID? {
        if case .serviceClient(let id) = principal { return id }
        return nil
    }

    public var roles: Set<Role> {
        if case .person(_, let roles) = principal { return roles }
        return []
    }

    public func has(_ role: Role) -> Bool { roles.contains(role) }

    /// A stable key for per-caller records such as idempotency keys.
    public var principalKey: String {
        switch principal {
        case .person(let id, _): "person:\(id)"
        case .serviceClient(let id): "client:\(id)"
        }
    }
}
