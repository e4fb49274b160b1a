import Crypto
import Foundation

/// A bearer token as stored: never the secret, only its hash.
public struct APIToken: Sendable, Equatable {
    public enum Owner: Sendable, Equatable {
        case person(PersonID)
        case serviceClient(ServiceClientID)
    }

    public let id: TokenID
    public let owner: Owner
    public let name: String
    public let scopes: Set<Scope>
    /// `cli` for the operator's bootstrap, otherwise the id of the person who created it.
    public let issuedBy: String
    public let expiresAt: Date
    public let revokedAt: Date?
    public let lastUsedAt: Date?
    public let createdAt: Date

    public init(
        id: TokenID,
        owner: Owner,
        name: String,
        scopes: Set<Scope>,
        issuedBy: String,
        expiresAt: Date,
        revokedAt: Date?,
        lastUsedAt: Date?,
        createdAt: Date
    ) {
        self.id = id
        self.owner = owner
        self.name = name
        self.scopes = scopes
        self.issuedBy = issuedBy
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.lastUsedAt = lastUsedAt
        self.createdAt = createdAt
    }
}

/// A token just created: the only moment its secret exists outside the client.
public struct IssuedToken: Sendable {
    public let token: APIToken
    public let secret: String
}

/// The opaque secret: `dos_` and 32 random bytes in base64url. Only its SHA-256 is stored.
public enum TokenSecret {
    public static let prefix = "dos_"

    /// 32 random bytes, base64url, after `prefix` (which says what the secret is for when it leaks).
    public static func generate(prefix: String = prefix) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return prefix
            + Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public static func hash(_ secret: String) -> [UInt8] {
        Array(SHA256.hash(data: Data(secret.utf8)))
    }

    /// Whether `text` is a secret `generate(prefix:)` could have made; anything else is refused
    /// before it is hashed and looked up.
    public static func isWellFormed(_ text: String, prefix: String) -> Bool {
        text.hasPrefix(prefix) && text.utf8.count == prefix.utf8.count + 43
            && text.dropFirst(prefix.count).allSatisfy {
                $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_")
            }
    }

    /// Whether `text` looks like one of our tokens, to catch tokens sent in a URL.
    public static func looksLikeToken(_ text: String) -> Bool {
        text.hasPrefix(prefix) && text.utf8.count >= 40
    }
}

/// A client system (the curriculum system, reporting, ...) acting under its own name with scopes.
public struct ServiceClient: Sendable, Equatable {
    public let id: ServiceClientID
    public let name: String
    public let scopes: Set<Scope>
    public let createdBy: PersonID?
    public let createdAt: Date

    public init(id: ServiceClientID, name: String, scopes: Set<Scope>, createdBy: PersonID?, createdAt: Date) {
        self.id = id
        self.name = name
        self.scopes = scopes
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}
