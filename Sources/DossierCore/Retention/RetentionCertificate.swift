import Foundation

/// A certificate of destruction for one run: what it did under which policy, and the disposal-log
/// range with its chain head, signed with a key derived from the server's secret. It holds no
/// names, e-mail addresses, content or personal dates.
public struct RetentionCertificate: Sendable, Equatable, Codable {
    public let runID: UUID
    public let mode: String
    public let status: String
    public let policyID: String
    public let policyVersion: Int
    public let asOf: String
    public let trigger: String
    public let requestedBy: UUID?
    public let approvedBy: UUID?
    public let approvedAt: Date?
    public let finishedAt: Date?
    public let counts: RetentionCounts
    public let firstSeq: Int64?
    public let lastSeq: Int64?
    /// Hex SHA-256 of the run's last disposal-log record.
    public let chainHead: String?
    public let issuedAt: Date
    public var algorithm = "HMAC-SHA256"
    public var signature = ""

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case mode, status
        case policyID = "policy_id"
        case policyVersion = "policy_version"
        case asOf = "as_of"
        case trigger
        case requestedBy = "requested_by"
        case approvedBy = "approved_by"
        case approvedAt = "approved_at"
        case finishedAt = "finished_at"
        case counts
        case firstSeq = "first_seq"
        case lastSeq = "last_seq"
        case chainHead = "chain_head"
        case issuedAt = "issued_at"
        case algorithm, signature
    }

    public init(run: RetentionRun, records: (first: Int64, last: Int64, head: Data)?, issuedAt: Date) {
        self.runID = run.id.uuid
        self.mode = run.mode.rawValue
        self.status = run.status.rawValue
        self.policyID = run.policyID
        self.policyVersion = run.policyVersion
        self.asOf = run.asOf.description
        self.trigger = run.trigger.rawValue
        self.requestedBy = run.requestedBy?.uuid
        self.approvedBy = run.approvedBy?.uuid
        self.approvedAt = run.approvedAt.map(Self.wholeSeconds)
        self.finishedAt = run.finishedAt.map(Self.wholeSeconds)
        self.counts = run.counts
        self.firstSeq = records?.first
        self.lastSeq = records?.last
        self.chainHead = records?.head.hexString
        self.issuedAt = Self.wholeSeconds(issuedAt)
    }

    /// The JSON form has whole seconds; the signature must survive a round trip through it.
    private static func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }

    /// The bytes the signature covers: every field but the signature, as sorted-key JSON.
    public func signedBytes() throws -> Data {
        var unsigned = self
        unsigned.signature = ""
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .secondsSince1970
        return try encoder.encode(unsigned)
    }

    public func signed(with keys: RetentionKeys) throws -> RetentionCertificate {
        var certificate = self
        certificate.signature = keys.sign(try signedBytes()).hexString
        return certificate
    }

    /// False for a signature that does not match, and for a certificate that cannot be encoded.
    public func isValid(with keys: RetentionKeys) -> Bool {
        guard let signature = Data(hexString: signature), let bytes = try? signedBytes() else { return false }
        return keys.verify(signature, for: bytes)
    }
}

/// The certificate as JSON with snake_case keys and RFC 3339 times, as the API and CLI show it.
public enum RetentionCertificateJSON {
    public static func encode(_ certificate: RetentionCertificate) throws -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(certificate)
    }

    public static func decode(_ data: Data) throws -> RetentionCertificate {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(RetentionCertificate.self, from: data)
    }
}
