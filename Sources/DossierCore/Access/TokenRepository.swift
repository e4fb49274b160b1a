import Foundation
import PostgresNIO

/// SQL for tokens and service clients.
public struct TokenRepository: Sendable {
    public init() {}

    /// What authentication needs about a token: its owner, their roles, its state.
    public struct Credential: Sendable {
        public let token: APIToken
        public let roles: Set<Role>
        public let ownerDisabled: Bool
    }

    public func insert(_ token: APIToken, secretHash: [UInt8], on connection: PostgresConnection) async throws {
        let (person, client): (UUID?, UUID?) =
            switch token.owner {
            case .person(let id): (id.uuid, nil)
            case .serviceClient(let id): (nil, id.uuid)
            }
        try await connection.query(
            """
            INSERT INTO api_tokens (id, token_hash, person_id, service_client_id, name, scopes, issued_by, expires_at, created_at)
            VALUES (\(token.id.uuid), \(ByteBuffer(bytes: secretHash)), \(person), \(client), \(token.name), \(token.scopes.map(\.rawValue).sorted()),
                    \(token.issuedBy), \(token.expiresAt), \(token.createdAt))
            """,
            logger: PersonRepository.logger
        )
    }

    /// Prepared once per connection: every authenticated request runs it.
    private struct CredentialQuery: PostgresPreparedStatement {
        // Named by hand: PostgreSQL cuts a name at 63 bytes, where the default names of two private
        // statements of one file ("Module.Type.(unknown context at $...).") are still the same.
        static let name = "token_credential"
        static let sql = """
            SELECT t.id, t.person_id, t.service_client_id, t.name, t.scopes, t.issued_by, t.expires_at, t.revoked_at,
                   t.last_used_at, t.created_at, coalesce(p.roles, '{}'), c.disabled_at IS NOT NULL
            FROM api_tokens t
            LEFT JOIN people p ON p.id = t.person_id
            LEFT JOIN service_clients c ON c.id = t.service_client_id
            WHERE t.token_hash = $1
            """
        typealias Row = (UUID, UUID?, UUID?, String, [String], String, Date, Date?, Date?, Date, [String], Bool)

        let hash: [UInt8]

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 1)
            bindings.append(ByteBuffer(bytes: hash))
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    public func credential(hash: [UInt8], on connection: PostgresConnection) async throws -> Credential? {
        let rows = try await connection.execute(CredentialQuery(hash: hash), logger: PersonRepository.logger)
        for try await (id, person, client, name, scopes, issuedBy, expires, revoked, used, created, roles, disabled)
            in rows
        {
            guard let token = Self.token(id, person, client, name, scopes, issuedBy, expires, revoked, used, created)
            else { return nil }
            return Credential(token: token, roles: Set(roles.compactMap(Role.init)), ownerDisabled: disabled)
        }
        return nil
    }

    /// How fresh `last_used_at` is kept: seconds.
    public static let lastUsedResolution: TimeInterval = 60

    /// Records use at most once a minute per token, so reads do not turn into a write each.
    public func markUsed(_ id: TokenID, at now: Date, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE api_tokens SET last_used_at = \(now)
            WHERE id = \(id.uuid) AND (last_used_at IS NULL OR last_used_at < \(now.addingTimeInterval(-Self.lastUsedResolution)))
            """,
            logger: PersonRepository.logger
        )
    }

    public func list(owner: APIToken.Owner, on connection: PostgresConnection) async throws -> [APIToken] {
        let (person, client): (UUID?, UUID?) =
            switch owner {
            case .person(let id): (id.uuid, nil)
            case .serviceClient(let id): (nil, id.uuid)
            }
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.columns) FROM api_tokens t
            WHERE t.person_id IS NOT DISTINCT FROM \(person) AND t.service_client_id IS NOT DISTINCT FROM \(client)
            ORDER BY t.id
            """,
            logger: PersonRepository.logger
        )
        var tokens: [APIToken] = []
        for try await (id, person, client, name, scopes, issuedBy, expires, revoked, used, created) in rows.decode(
            (UUID, UUID?, UUID?, String, [String], String, Date, Date?, Date?, Date).self
        ) {
            if let token = Self.token(id, person, client, name, scopes, issuedBy, expires, revoked, used, created) {
                tokens.append(token)
            }
        }
        return tokens
    }

    /// Revokes the person's own token; false when no such (unrevoked) token of theirs exists.
    public func revoke(
        _ id: TokenID,
        of person: PersonID,
        at now: Date,
        on connection: PostgresConnection
    ) async throws -> Bool {
        let rows = try await connection.query(
            """
            UPDATE api_tokens SET revoked_at = \(now)
            WHERE id = \(id.uuid) AND person_id = \(person.uuid) AND revoked_at IS NULL
            RETURNING id
            """,
            logger: PersonRepository.logger
        ).collect()
        return !rows.isEmpty
    }

    public func insert(_ client: ServiceClient, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO service_clients (id, name, scopes, created_by, created_at)
            VALUES (\(client.id.uuid), \(client.name), \(client.scopes.map(\.rawValue).sorted()), \(client.createdBy?.uuid),
                    \(client.createdAt))
            """,
            logger: PersonRepository.logger
        )
    }

    public func serviceClients(
        id: ServiceClientID? = nil,
        on connection: PostgresConnection
    ) async throws -> [ServiceClient] {
        let rows = try await connection.query(
            """
            SELECT id, name, scopes, created_by, created_at FROM service_clients
            WHERE \(id?.uuid)::uuid IS NULL OR id = \(id?.uuid)
            ORDER BY id
            """,
            logger: PersonRepository.logger
        )
        var clients: [ServiceClient] = []
        for try await (id, name, scopes, createdBy, created) in rows.decode((UUID, String, [String], UUID?, Date).self)
        {
            clients.append(
                ServiceClient(
                    id: ServiceClientID(id),
                    name: name,
                    scopes: Set(scopes.compactMap(Scope.init)),
                    createdBy: createdBy.map(PersonID.init),
                    createdAt: created
                )
            )
        }
        return clients
    }

    private static let columns =
        "t.id, t.person_id, t.service_client_id, t.name, t.scopes, t.issued_by, t.expires_at, t.revoked_at, t.last_used_at, t.created_at"

    private static func token(
        _ id: UUID,
        _ person: UUID?,
        _ client: UUID?,
        _ name: String,
        _ scopes: [String],
        _ issuedBy: String,
        _ expires: Date,
        _ revoked: Date?,
        _ used: Date?,
        _ created: Date
    ) -> APIToken? {
        let owner: APIToken.Owner
        if let person {
            owner = .person(PersonID(person))
        } else if let client {
            owner = .serviceClient(ServiceClientID(client))
        } else {
            return nil
        }
        return APIToken(
            id: TokenID(id),
            owner: owner,
            name: name,
            scopes: Set(scopes.compactMap(Scope.init)),
            issuedBy: issuedBy,
            expiresAt: expires,
            revokedAt: revoked,
            lastUsedAt: used,
            createdAt: created
        )
    }
}
