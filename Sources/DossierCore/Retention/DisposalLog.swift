import Crypto
import Foundation

/// One record of the disposal log: what retention did, under which policy, to whom, named only by
/// an HMAC of the portfolio id, with dates coarsened to a month. Nothing in it identifies a person
/// to someone who does not already know the portfolio id.
public struct DisposalRecord: Sendable, Equatable {
    public enum Event: String, Sendable, CaseIterable {
        case planned, held, hidden, purged, reapplied, aborted
    }

    /// What every record of one disposal says about the run behind it, and who acted.
    struct Context: Sendable {
        let runID: RetentionRun.ID
        let policyID: String
        let policyVersion: Int
        let actor: String
    }

    public var seq: Int64?
    public let runID: RetentionRun.ID
    public let event: Event
    public let subjectRef: Data?
    public let policyID: String
    public let policyVersion: Int
    public let completedMonth: CalendarDate?
    public let itemCount: Int?
    public let byteCount: Int64?
    public let actor: String
    /// Whole seconds, so the hash recomputes exactly from what PostgreSQL stores.
    public let at: Date
    public var prevHash: Data
    public var hash: Data

    public init(
        seq: Int64? = nil,
        runID: RetentionRun.ID,
        event: Event,
        subjectRef: Data?,
        policyID: String,
        policyVersion: Int,
        completedMonth: CalendarDate?,
        itemCount: Int?,
        byteCount: Int64?,
        actor: String,
        at: Date,
        prevHash: Data = Data(),
        hash: Data = Data()
    ) {
        self.seq = seq
        self.runID = runID
        self.event = event
        self.subjectRef = subjectRef
        self.policyID = policyID
        self.policyVersion = policyVersion
        self.completedMonth = completedMonth?.firstOfMonth
        self.itemCount = itemCount
        self.byteCount = byteCount
        self.actor = actor
        self.at = Date(timeIntervalSince1970: at.timeIntervalSince1970.rounded(.down))
        self.prevHash = prevHash
        self.hash = hash
    }

    /// Every field but the hash itself, in a fixed order with explicit separators.
    var canonical: String {
        [
            runID.uuid.lowercasedString, event.rawValue, subjectRef.map(\.hexString) ?? "-", policyID,
            String(policyVersion), completedMonth?.description ?? "-", itemCount.map(String.init) ?? "-",
            byteCount.map(String.init) ?? "-", actor, String(Int64(at.timeIntervalSince1970)), prevHash.hexString,
        ].joined(separator: "|")
    }
}

/// The hash chain over the disposal log: each record's hash covers its fields and the previous
/// record's hash, so changing, removing or reordering any record breaks every link after it.
public enum DisposalChain {
    /// The `prev_hash` of the first record.
    public static let genesis = Data(repeating: 0, count: 32)

    /// `record` linked after `previous` (its hash, or `genesis`).
    public static func link(_ record: DisposalRecord, after previous: Data) -> DisposalRecord {
        var linked = record
        linked.prevHash = previous
        linked.hash = Data(SHA256.hash(data: Data(linked.canonical.utf8)))
        return linked
    }

    /// A link that does not hold, as `dossier retention verify` reports it.
    public struct Break: Sendable, Equatable, CustomStringConvertible {
        public let seq: Int64
        public let reason: String
        public var description: String { "seq \(seq): \(reason)" }
    }

    /// Walks records in `seq` order; returns the first broken link, or nil when the chain holds.
    public struct Verifier: Sendable {
        private var previous: Data
        public private(set) var checked = 0

        /// A verifier for a chain from its start, or for a slice of it that follows `previous`.
        public init(after previous: Data = DisposalChain.genesis) {
            self.previous = previous
        }

        public mutating func check(_ record: DisposalRecord) -> Break? {
            let seq = record.seq ?? -1
            checked += 1
            guard record.prevHash == previous else {
                return Break(seq: seq, reason: "prev_hash does not match the hash of the record before it")
            }
            guard DisposalChain.link(record, after: previous).hash == record.hash else {
                return Break(seq: seq, reason: "the hash does not match the record's content")
            }
            previous = record.hash
            return nil
        }
    }
}

/// The keyed functions retention needs, each from its own subkey of the server's secret.
public struct RetentionKeys: Sendable {
    private let pepper: SymmetricKey
    private let signing: SymmetricKey

    public init(secretKey: SecretKey) {
        self.pepper = secretKey.subkey(for: "disposal-log-pepper")
        self.signing = secretKey.subkey(for: "retention-certificate")
    }

    /// HMAC-SHA256 of the portfolio id: answers "was X disposed?" for whoever knows X, and
    /// nothing for whoever does not.
    public func subjectRef(_ portfolio: Portfolio.ID) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Data(portfolio.uuid.lowercasedString.utf8), using: pepper))
    }

    public func sign(_ message: Data) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: message, using: signing))
    }

    public func verify(_ signature: Data, for message: Data) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: message, using: signing)
    }
}

extension Data {
    public var hexString: String { map { String(format: "%02x", $0) }.joined() }

    public init?(hexString: String) {
        guard hexString.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        var index = hexString.startIndex
        while index < hexString.endIndex {
            let next = hexString.index(index, offsetBy: 2)
            guard let byte = UInt8(hexString[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.init(bytes)
    }
}
