import Crypto
import Foundation

/// The opaque one-click unsubscribe token (RFC 8058): `uns_` and the base64url of the person's id
/// with an HMAC over (person, kind, version). It needs no row and no login, and a token changed
/// in any bit names nobody.
public struct UnsubscribeToken: Sendable {
    public static let prefix = "uns_"
    /// Part of the MAC: raising it voids every link sent before.
    static let version = 1
    private let key: SymmetricKey

    public init(secretKey: SecretKey) {
        key = secretKey.subkey(for: "unsubscribe")
    }

    public func token(for person: PersonID) -> String {
        let id = withUnsafeBytes(of: person.uuid.uuid) { Array($0) }
        return Self.prefix + Base64URL.encode(id + mac(id))
    }

    /// The person a genuine token names; nil for anything else.
    public func person(from token: String) -> PersonID? {
        guard token.hasPrefix(Self.prefix), let bytes = Base64URL.decode(String(token.dropFirst(Self.prefix.count))),
            bytes.count == 32
        else { return nil }
        let id = Array(bytes.prefix(16))
        let tag = Array(bytes.suffix(16))
        // Constant time: a timing difference would let someone guess a tag byte by byte.
        guard zip(tag, mac(id)).reduce(UInt8(0), { $0 | ($1.0 ^ $1.1) }) == 0 else { return nil }
        return PersonID(UUID(bytes: id))
    }

    private func mac(_ id: [UInt8]) -> [UInt8] {
        let message = Data("digest|v\(Self.version)|".utf8) + Data(id)
        return Array(Array(HMAC<SHA256>.authenticationCode(for: message, using: key)).prefix(16))
    }
}
