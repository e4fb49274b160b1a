import Foundation

/// A unit of background work as the queue stores it.
public struct Job: Sendable, Equatable {
    public enum Queue: String, Sendable, CaseIterable {
        case `default`, retention, mail
    }

    public enum State: String, Sendable, CaseIterable {
        case available, running, succeeded, dead, cancelled
    }

    public let id: Int64
    public let queue: Queue
    public let kind: String
    /// JSON text; each kind decodes its own arguments.
    public let args: String
    /// The claim's fencing token together with the worker id: a rescued zombie cannot finish it.
    public let attempt: Int
    public let maxAttempts: Int
    public let uniqueKey: String?

    public init(id: Int64, queue: Queue, kind: String, args: String, attempt: Int, maxAttempts: Int, uniqueKey: String?)
    {
        self.id = id
        self.queue = queue
        self.kind = kind
        self.args = args
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.uniqueKey = uniqueKey
    }
}

/// A job to put on the queue.
public struct NewJob: Sendable {
    public let queue: Job.Queue
    public let kind: String
    public let args: String
    public let uniqueKey: String?
    public let maxAttempts: Int

    public init(
        queue: Job.Queue = .default,
        kind: String,
        args: String = "{}",
        uniqueKey: String? = nil,
        maxAttempts: Int = 10
    ) {
        self.queue = queue
        self.kind = kind
        self.args = args
        self.uniqueKey = uniqueKey
        self.maxAttempts = maxAttempts
    }

    /// Executes an approved retention run; one job per run, whatever retries or replicas do.
    public static func retentionExecute(_ run: RetentionRun.ID) -> NewJob {
        let id = run.uuid.lowercasedString
        return NewJob(
            queue: .retention,
            kind: "retention.execute",
            args: #"{"run_id":"\#(id)"}"#,
            uniqueKey: "retention.execute:\(id)"
        )
    }
}

/// How long a failed job waits before its next attempt: 15 s doubling to at most six hours, with
/// ±10 % jitter so a failing batch does not retry in lockstep.
public enum JobBackoff {
    public static func delay(afterAttempt attempt: Int, jitter: Double = Double.random(in: 0.9...1.1)) -> Double {
        let base = min(6 * 3600, 15 * pow(2, Double(max(attempt - 1, 0))))
        return base * jitter
    }
}

/// A job as operators see it: its state, attempts, times and every error so far.
public struct JobRecord: Sendable, Equatable {
    public struct Failure: Sendable, Equatable, Decodable {
        public let at: Date?
        public let attempt: Int
        public let error: String
    }

    public let id: Int64
    public let queue: String
    public let kind: String
    public let state: Job.State
    public let attempt: Int
    public let maxAttempts: Int
    public let runAt: Date
    public let createdAt: Date
    public let finalizedAt: Date?
    public let uniqueKey: String?
    public let errors: [Failure]

    public init(
        id: Int64,
        queue: String,
        kind: String,
        state: Job.State,
        attempt: Int,
        maxAttempts: Int,
        runAt: Date,
        createdAt: Date,
        finalizedAt: Date?,
        uniqueKey: String?,
        errors: [Failure]
    ) {
        self.id = id
        self.queue = queue
        self.kind = kind
        self.state = state
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.runAt = runAt
        self.createdAt = createdAt
        self.finalizedAt = finalizedAt
        self.uniqueKey = uniqueKey
        self.errors = errors
    }

    /// List cursors carry UUIDs; a job id fits in the last eight bytes of one.
    public var cursorID: UUID { Self.cursorID(id) }

    public static func cursorID(_ id: Int64) -> UUID {
        let bytes = withUnsafeBytes(of: id.bigEndian) { Array($0) }
        return UUID(
            uuid: (
                0, 0, 0, 0, 0, 0, 0, 0, bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7]
            )
        )
    }

    public static func id(fromCursor cursor: UUID) -> Int64 {
        let tail = withUnsafeBytes(of: cursor.uuid) { Array($0.suffix(8)) }
        return tail.reduce(Int64(0)) { $0 << 8 | Int64($1) }
    }
}
