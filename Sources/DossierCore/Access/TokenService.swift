import Foundation
import Logging

/// Tokens: authentication of every request, personal tokens, service clients and their tokens,
/// and the operator's bootstrap token.
public struct TokenService: Sendable {
    public static let defaultLifetimeDays = 90
    public static let maximumLifetimeDays = 365

    private let database: Database
    private let clock: any WallClock
    private let logger: Logger
    private let tokens = TokenRepository()
    private let people = PersonRepository()

    public init(database: Database, clock: any WallClock, logger: Logger) {
        self.database = database
        self.clock = clock
        self.logger = logger
    }

    /// The caller behind a bearer token, or 401 saying why not.
    public func authenticate(
        secret: String,
        requestID: String,
        clientIP: String?,
        accessReason: String? = nil
    ) async throws -> Caller {
        let reason = try Self.validReason(accessReason)
        let now = clock.now()
        let credential = try await database.read { connection in
            try await tokens.credential(hash: TokenSecret.hash(secret), on: connection)
        }
        guard let credential else { throw Self.unauthorized("The token is not known.") }
        let token = credential.token
        if token.revokedAt != nil { throw Self.unauthorized("The token was revoked.") }
        if token.expiresAt <= now {
            throw Self.unauthorized("The token expired at \(token.expiresAt.formatted(.iso8601)).")
        }
        if credential.ownerDisabled { throw Self.unauthorized("The service client of this token is disabled.") }
        let principal: Caller.Principal
        var scopes = token.scopes
        switch token.owner {
        case .person(let id):
            principal = .person(id, roles: credential.roles)
            // A token never outlives its owner's roles: losing a role narrows every token at once.
            scopes.formIntersection(Scope.granted(to: credential.roles))
        case .serviceClient(let id):
            principal = .serviceClient(id)
        }
        // The value read with the token says whether the once-a-minute write is due.
        if token.lastUsedAt.map({ $0 < now.addingTimeInterval(-TokenRepository.lastUsedResolution) }) ?? true {
            try await database.read { try await tokens.markUsed(token.id, at: now, on: $0) }
        }
        return Caller(
            principal: principal,
            tokenID: token.id,
            scopes: scopes,
            requestID: requestID,
            clientIP: clientIP,
            accessReason: reason
        )
    }

    /// A token for the caller themself; its scopes can only narrow what the caller's token has.
    public func createPersonalToken(
        name: String,
        scopes requested: [String]?,
        expiresInDays: Int?,
        caller: Caller
    ) async throws -> IssuedToken {
        _ = try AccessPolicy.decide(.createToken, caller: caller).rule(or: "token")
        guard let personID = caller.personID else { throw DossierError.forbidden("Only people have personal tokens.") }
        let (name, scopes, lifetime) = try Self.validate(
            name: name,
            scopes: requested,
            allowed: caller.scopes,
            expiresInDays: expiresInDays
        )
        return try await issue(
            owner: .person(personID),
            name: name,
            scopes: scopes,
            lifetimeDays: lifetime,
            issuedBy: personID.description
        )
    }

    public func listPersonalTokens(caller: Caller) async throws -> [APIToken] {
        _ = try AccessPolicy.decide(.listTokens, caller: caller).rule(or: "token")
        guard let personID = caller.personID else { return [] }
        return try await database.read { try await tokens.list(owner: .person(personID), on: $0) }
    }

    public func revoke(_ id: TokenID, caller: Caller) async throws {
        _ = try AccessPolicy.decide(.revokeToken, caller: caller).rule(or: "token")
        guard let personID = caller.personID else { throw DossierError.notFound("token") }
        let revoked = try await database.read {
            try await tokens.revoke(id, of: personID, at: clock.now(), on: $0)
        }
        guard revoked else { throw DossierError.notFound("unrevoked token of yours") }
    }

    public func createServiceClient(
        name: String,
        scopes requested: [String],
        caller: Caller
    ) async throws -> ServiceClient {
        _ = try AccessPolicy.decide(.createServiceClient, caller: caller).rule(or: "service client")
        let (name, scopes, _) = try Self.validate(
            name: name,
            scopes: requested,
            allowed: Set(Scope.allCases),
            expiresInDays: nil,
            scopesRequired: true
        )
        let client = ServiceClient(
            id: .generate(),
            name: name,
            scopes: scopes,
            createdBy: caller.personID,
            createdAt: clock.now()
        )
        do {
            try await database.read { try await tokens.insert(client, on: $0) }
        } catch let error where ConstraintViolation(error)?.kind == .unique {
            throw DossierError.duplicateName("service client", name)
        }
        return client
    }

    public func listServiceClients(caller: Caller) async throws -> [ServiceClient] {
        _ = try AccessPolicy.decide(.listServiceClients, caller: caller).rule(or: "service client")
        return try await database.read { try await tokens.serviceClients(on: $0) }
    }

    /// A token for a service client (never for a person: nobody acts under someone else's name).
    public func createServiceClientToken(
        _ clientID: ServiceClientID,
        name: String,
        scopes requested: [String]?,
        expiresInDays: Int?,
        caller: Caller
    ) async throws -> IssuedToken {
        _ = try AccessPolicy.decide(.createServiceClientToken, caller: caller).rule(or: "service client")
        guard let client = try await database.read({ try await tokens.serviceClients(id: clientID, on: $0) }).first
        else { throw DossierError.notFound("service client") }
        let (name, scopes, lifetime) = try Self.validate(
            name: name,
            scopes: requested,
            allowed: client.scopes,
            expiresInDays: expiresInDays
        )
        return try await issue(
            owner: .serviceClient(client.id),
            name: name,
            scopes: scopes,
            lifetimeDays: lifetime,
            issuedBy: caller.personID?.description ?? "unknown"
        )
    }

    /// The operator's bootstrap (`dossier token create`): finds or creates the person by e-mail,
    /// gives them `role`, and issues a token with `issued_by = cli`.
    public func bootstrap(email: String, name: String?, role: Role, lifetimeDays: Int) async throws -> IssuedToken {
        let now = clock.now()
        var errors: [FieldError] = []
        let email = PersonRules.validEmail(email, pointer: "--email", into: &errors)
        guard let email, errors.isEmpty else { throw DossierError.validation(errors) }
        let person: Person = try await database.transaction { connection in
            if var existing = try await people.findByEmail(email, on: connection) {
                if !existing.roles.contains(role) {
                    let version = existing.version
                    existing.roles.insert(role)
                    _ = try await people.update(existing, expectedVersion: version, at: now, on: connection)
                }
                return existing
            }
            let new = NewPerson(
                name: name ?? String(email.split(separator: "@")[0]),
                email: email,
                roles: [role],
                trainee: nil
            )
            let id = PersonID.generate()
            try await people.insert(new, id: id, at: now, on: connection)
            guard let created = try await people.find(id, on: connection) else { throw DossierError.notFound("person") }
            return created
        }
        return try await issue(
            owner: .person(person.id),
            name: "bootstrap (cli)",
            scopes: Scope.granted(to: person.roles.union([role])),
            lifetimeDays: lifetimeDays,
            issuedBy: "cli"
        )
    }

    private func issue(
        owner: APIToken.Owner,
        name: String,
        scopes: Set<Scope>,
        lifetimeDays: Int,
        issuedBy: String
    ) async throws -> IssuedToken {
        let now = clock.now()
        let secret = TokenSecret.generate()
        let token = APIToken(
            id: .generate(),
            owner: owner,
            name: name,
            scopes: scopes,
            issuedBy: issuedBy,
            expiresAt: now.addingTimeInterval(TimeInterval(lifetimeDays) * 86_400),
            revokedAt: nil,
            lastUsedAt: nil,
            createdAt: now
        )
        try await database.read { try await tokens.insert(token, secretHash: TokenSecret.hash(secret), on: $0) }
        return IssuedToken(token: token, secret: secret)
    }

    static func validate(
        name: String,
        scopes requested: [String]?,
        allowed: Set<Scope>,
        expiresInDays: Int?,
        scopesRequired: Bool = false
    ) throws(DossierError) -> (String, Set<Scope>, Int) {
        var errors: [FieldError] = []
        let name = PersonRules.validName(name, pointer: "/name", into: &errors)
        var scopes: Set<Scope> = []
        if let requested {
            if requested.isEmpty { errors.append(FieldError("/scopes", "must name at least one scope")) }
            for (index, text) in requested.enumerated() {
                guard let scope = Scope(rawValue: text) else {
                    let known = Scope.allCases.map(\.rawValue).joined(separator: ", ")
                    errors.append(FieldError("/scopes/\(index)", "is not a scope; use one of \(known)"))
                    continue
                }
                if !allowed.contains(scope) {
                    errors.append(FieldError("/scopes/\(index)", "is not granted to you, so a token cannot carry it"))
                }
                scopes.insert(scope)
            }
        } else if scopesRequired {
            errors.append(FieldError("/scopes", "is required"))
        } else {
            scopes = allowed
        }
        let lifetime = expiresInDays ?? defaultLifetimeDays
        if !(1...maximumLifetimeDays).contains(lifetime) {
            errors.append(FieldError("/expires_in_days", "must be between 1 and \(maximumLifetimeDays)"))
        }
        guard errors.isEmpty, let name else { throw .validation(errors) }
        return (name, scopes, lifetime)
    }

    /// 10-500 characters of text: enough to name a case or a request, short enough for a log row.
    static func validReason(_ text: String?) throws(DossierError) -> String? {
        guard let text else { return nil }
        let reason = text.trimmingCharacters(in: .whitespaces)
        guard (10...500).contains(reason.count), !reason.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
            throw DossierError(
                .badRequest,
                slug: .invalidAccessReason,
                detail: "X-Access-Reason must be 10-500 characters saying why you need this data.",
                fieldErrors: [FieldError("#/header/X-Access-Reason", "must be 10-500 characters")]
            )
        }
        return reason
    }

    static func unauthorized(_ detail: String) -> DossierError {
        DossierError(.unauthorized, slug: .unauthorized, detail: detail)
    }
}
