import Foundation

/// A person's own digest preferences: what is stored, or their role's default.
public struct DigestPreferenceService: Sendable {
    let database: Database
    let clock: any WallClock
    private let preferences = DigestPreferenceRepository()

    private let tokens: UnsubscribeToken?

    public init(database: Database, clock: any WallClock, secretKey: SecretKey? = nil) {
        self.database = database
        self.clock = clock
        self.tokens = secretKey.map(UnsubscribeToken.init)
    }

    /// One-click unsubscribe (RFC 8058): the link is the credential, no login; idempotent. A
    /// token that is not one of ours, or names nobody, is 404 and changes nothing.
    public func unsubscribe(token: String) async throws -> Date {
        guard let person = tokens?.person(from: token) else { throw DossierError.notFound("unsubscribe link") }
        let now = clock.now()
        return try await database.transaction { connection in
            guard
                let at = try await preferences.unsubscribe(person, at: now, on: connection)
            else { throw DossierError.notFound("unsubscribe link") }
            return at
        }
    }

    /// Whether `token` is a genuine link, for the confirmation page; reads nothing.
    public func isGenuine(token: String) -> Bool { tokens?.person(from: token) != nil }

    public func get(caller: Caller) async throws -> DigestPreferences {
        _ = try AccessPolicy.decide(.getDigestPreferences, caller: caller).rule(or: "preferences")
        guard let person = caller.personID else { throw DossierError.forbidden("Only a person gets a digest.") }
        return try await database.read { connection in
            try await preferences.find(person, on: connection) ?? .default(for: caller.roles)
        }
    }

    public func update(_ input: DigestPreferencesInput, caller: Caller) async throws -> DigestPreferences {
        _ = try AccessPolicy.decide(.updateDigestPreferences, caller: caller).rule(or: "preferences")
        guard let person = caller.personID else { throw DossierError.forbidden("Only a person gets a digest.") }
        let chosen = try input.validated()
        let now = clock.now()
        return try await database.transaction { connection in
            try await preferences.save(chosen, of: person, at: now, on: connection)
            return chosen
        }
    }
}
