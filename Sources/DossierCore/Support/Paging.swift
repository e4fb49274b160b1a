import Crypto
import Foundation

/// Opaque, tamper-proof list cursors: the last id of a page plus an HMAC, base64url. A client
/// cannot forge a cursor to skip a filter, and a malformed one is a clear 400.
public struct CursorCodec: Sendable {
    private let key: SymmetricKey

    public init(secretKey: SecretKey) {
        self.key = secretKey.subkey(for: "cursor")
    }

    public func encode(_ id: UUID) -> String {
        var bytes = withUnsafeBytes(of: id.uuid) { Data($0) }
        bytes.append(contentsOf: HMAC<SHA256>.authenticationCode(for: bytes, using: key).prefix(12))
        return bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public func decode(_ cursor: String) throws(DossierError) -> UUID {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), data.count == 28 else { throw Self.invalid }
        let id = data.prefix(16)
        let expected = HMAC<SHA256>.authenticationCode(for: id, using: key).prefix(12)
        guard Data(expected) == data.suffix(12) else { throw Self.invalid }
        return UUID(bytes: [UInt8](id))
    }

    private static let invalid = DossierError(
        .badRequest,
        slug: .invalidCursor,
        detail:
            "The cursor is not one this API issued; start again without it or use the next_cursor of the previous page.",
        fieldErrors: [FieldError("#/query/cursor", "is not a valid cursor")]
    )
}

/// A page request: how many items, after which id.
public struct PageRequest: Sendable {
    public static let defaultLimit = 50
    public static let maximumLimit = 500

    public let limit: Int
    public let after: UUID?

    public init(limit: Int?, after: UUID?) throws(DossierError) {
        let limit = limit ?? Self.defaultLimit
        guard (1...Self.maximumLimit).contains(limit) else {
            throw DossierError(
                .validation,
                slug: .invalidParameter,
                detail: "limit must be between 1 and \(Self.maximumLimit).",
                fieldErrors: [FieldError("#/query/limit", "must be between 1 and \(Self.maximumLimit)")]
            )
        }
        self.limit = limit
        self.after = after
    }
}

/// One page of a list; `nextAfter` is the id to continue after, nil on the last page.
public struct Page<Item: Sendable>: Sendable {
    public let items: [Item]
    public let nextAfter: UUID?

    /// Built from `limit + 1` fetched rows: the extra row only tells that another page exists.
    public init(fetched: [Item], limit: Int, id: (Item) -> UUID) {
        let hasMore = fetched.count > limit
        self.items = Array(fetched.prefix(limit))
        self.nextAfter = hasMore ? self.items.last.map(id) : nil
    }
}
