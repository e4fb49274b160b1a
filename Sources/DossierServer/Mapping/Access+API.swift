import DossierAPI
import DossierCore

extension Components.Schemas.Token {
    init(_ token: APIToken) {
        self.init(
            id: token.id.description,
            name: token.name,
            scopes: token.scopes.sorted().compactMap { .init(rawValue: $0.rawValue) },
            issuedBy: token.issuedBy,
            expiresAt: token.expiresAt,
            revokedAt: token.revokedAt,
            lastUsedAt: token.lastUsedAt,
            createdAt: token.createdAt
        )
    }
}

extension Components.Schemas.ServiceClient {
    init(_ client: ServiceClient) {
        self.init(
            id: client.id.description,
            name: client.name,
            scopes: client.scopes.sorted().compactMap { .init(rawValue: $0.rawValue) },
            createdAt: client.createdAt
        )
    }
}

extension Components.Schemas.AccessLogEntry {
    init(_ entry: AccessLogEntry) {
        self.init(
            id: entry.id.description,
            occurredAt: entry.occurredAt,
            action: Components.Schemas.AccessLogEntry.ActionPayload(rawValue: entry.action.rawValue) ?? .r,
            actorPersonId: entry.actorPersonID?.description,
            serviceClientId: entry.serviceClientID?.description,
            tokenId: entry.tokenID?.description,
            role: entry.role,
            rule: entry.rule,
            reason: entry.reason,
            subjectId: entry.subjectID.description,
            resourceType: entry.resourceType,
            resourceId: entry.resourceID?.lowercasedString,
            requestId: entry.requestID
        )
    }
}

extension Components.Schemas.Me {
    init(_ caller: Caller, person: Person?, supervisions: [Supervision]) {
        self.init(
            person: person.map(Components.Schemas.Person.init),
            serviceClientId: caller.serviceClientID?.description,
            tokenId: caller.tokenID.description,
            scopes: caller.scopes.sorted().compactMap { .init(rawValue: $0.rawValue) },
            supervisions: supervisions.map(Components.Schemas.Supervision.init)
        )
    }
}
