import Foundation
import Synchronization

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

    /// A UUIDv7 (RFC 9562) from the machine's time, not the business clock: ids order storage,
    /// so keyset paging by id is paging by creation. Within one millisecond a counter in the
    /// 12 `rand_a` bits keeps ids of this process strictly increasing (RFC 9562 method 1).
    public static func generate() -> Self {
        let (milliseconds, sequence) = UUIDv7Clock.next()
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - UInt64(index)))) }
        bytes[6] = 0x70 | UInt8(truncatingIfNeeded: sequence >> 8)
        bytes[7] = UInt8(truncatingIfNeeded: sequence)
        var generator = SystemRandomNumberGenerator()
        for index in 8..<16 { bytes[index] = generator.next() }
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return Self(UUID(bytes: bytes))
    }

    public var description: String { uuid.lowercasedString }

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

/// The millisecond and in-millisecond counter of the last generated id.
private enum UUIDv7Clock {
    private static let state = Mutex<(milliseconds: UInt64, sequence: UInt16)>((0, 0))

    static func next() -> (UInt64, UInt16) {
        let now = UInt64(max(0, Date().timeIntervalSince1970 * 1000))
        return state.withLock { last in
            if now > last.milliseconds {
                last = (now, 0)
            } else if last.sequence < 0x0FFF {
                last.sequence += 1
            } else {
                last = (last.milliseconds + 1, 0)
            }
            return (last.milliseconds, last.sequence)
        }
    }
}

extension UUID {
    /// The UUID of exactly 16 bytes.
    init(bytes: [UInt8]) {
        precondition(bytes.count == 16, "a UUID has 16 bytes")
        self.init(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            )
        )
    }
}
