import Foundation

/// A person's own digest preferences: what is stored, or their role's default.
public struct DigestPreferenceService: Sendable {
    let database: Database
    let clock: any WallClock
    private let preferences = DigestPreferenceRepository()

    public init(database: Database, clock: any WallClock) {
        self.database = database
        self.clock = clock
    }

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
