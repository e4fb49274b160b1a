import Foundation

/// A mail in the outbox as operators see it: where it is, how often it was tried and what the
/// server said; never the address or the message.
public struct OutboxRecord: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case pending, sending, sent, skipped, failed, unknown
    }

    public enum Kind: String, Sendable, CaseIterable {
        case digest
        case downloadClosing = "download_closing"
        case assessmentInvitation = "assessment_invitation"
    }

    public let id: Int64
    public let key: String
    public let kind: Kind
    public let personID: PersonID?
    public let status: Status
    public let attempts: Int
    public let maxAttempts: Int
    public let nextAttemptAt: Date?
    public let lastError: String?
    public let smtpReply: String?
    public let messageID: String
    public let createdAt: Date
    public let sentAt: Date?

    public init(
        id: Int64,
        key: String,
        kind: Kind,
        personID: PersonID?,
        status: Status,
        attempts: Int,
        maxAttempts: Int,
        nextAttemptAt: Date?,
        lastError: String?,
        smtpReply: String?,
        messageID: String,
        createdAt: Date,
        sentAt: Date?
    ) {
        self.id = id
        self.key = key
        self.kind = kind
        self.personID = personID
        self.status = status
        self.attempts = attempts
        self.maxAttempts = maxAttempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.smtpReply = smtpReply
        self.messageID = messageID
        self.createdAt = createdAt
        self.sentAt = sentAt
    }

    /// List cursors carry UUIDs; an outbox id fits in one as a job id does.
    public var cursorID: UUID { JobRecord.cursorID(id) }
}

/// A row claimed for delivery: the attempt number is the fencing token with the worker's id.
public struct ClaimedMail: Sendable {
    public let id: Int64
    public let kind: OutboxRecord.Kind
    public let personID: PersonID?
    public let toAddress: String
    public let messageID: String
    /// Nil once pruned.
    public let message: [UInt8]?
    public let attempt: Int
    public let maxAttempts: Int
}

/// A mail to put in the outbox, rendered.
public struct NewMail: Sendable {
    public let key: String
    public let kind: OutboxRecord.Kind
    public let personID: PersonID?
    public let toAddress: String?
    public let messageID: String
    public let message: [UInt8]?
    /// A digest with nothing to say keeps its period's key without a message.
    public let skipped: Bool

    public init(
        key: String,
        kind: OutboxRecord.Kind,
        personID: PersonID?,
        toAddress: String?,
        messageID: String,
        message: [UInt8]?,
        skipped: Bool = false
    ) {
        self.key = key
        self.kind = kind
        self.personID = personID
        self.toAddress = toAddress
        self.messageID = messageID
        self.message = message
        self.skipped = skipped
    }
}

/// How one delivery attempt ended, as the worker reports it to the outbox.
public enum DeliveryOutcome: Sendable, Equatable {
    /// 2xx to the final dot.
    case sent(reply: String)
    /// 4xx, a timeout or a lost connection before the final dot: try again after `retryIn`.
    case transient(reason: String, retryIn: Double)
    /// 5xx, or an address no server would take: never again.
    case permanent(reason: String, bounced: Bool)
    /// The connection was lost after the final dot: it may have been delivered. Never resent by itself.
    case unknown(reason: String)
}

/// How long a transient failure waits: 30 s doubling to at most two hours, with jitter.
public enum MailBackoff {
    public static func delay(
        afterAttempt attempt: Int,
        base: Double = 30,
        jitter: Double = .random(in: 0.9...1.1)
    )
        -> Double
    {
        min(7200, base * pow(2, Double(max(attempt - 1, 0)))) * jitter
    }
}
