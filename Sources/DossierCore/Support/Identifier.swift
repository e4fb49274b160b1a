import Foundation

/// A typed UUID, so a `PersonID` cannot be passed where a `GroupID` is meant.
public struct Identifier<Entity>: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let uuid: UUID

    public init(_ uuid: UUID) {
        self.uuid = uuid
    }

    public init?(_ text: String) {
        guard let uuid = UUID(uuidString: text) else { return nil }
        self.uuid = uuid
    }

    /// A UUIDv7: time-ordered, so keyset paging by id is paging by creation time.
    public static func generate(at date: Date = Date()) -> Self {
        var bytes = [UInt8](repeating: 0, count: 16)
        let milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - UInt64(index)))) }
        var generator = SystemRandomNumberGenerator()
        for index in 6..<16 { bytes[index] = generator.next() }
        bytes[6] = (bytes[6] & 0x0F) | 0x70
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let uuid = UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            )
        )
        return Self(uuid)
    }

    public var description: String { uuid.uuidString.lowercased() }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.description < rhs.description }
}

public enum PersonEntity {}
public enum GroupEntity {}
public enum SupervisionEntity {}
public enum TokenEntity {}
public enum ServiceClientEntity {}

public typealias PersonID = Identifier<PersonEntity>
public typealias GroupID = Identifier<GroupEntity>
public typealias SupervisionID = Identifier<SupervisionEntity>
public typealias TokenID = Identifier<TokenEntity>
public typealias ServiceClientID = Identifier<ServiceClientEntity>
