import Foundation
import Logging

/// The mail outbox: the worker claims, sends and records here; admins list what happened and
/// resend what was lost. Each step is its own short transaction; none is open while SMTP talks.
public struct OutboxService: Sendable {
    private let database: Database
    private let clock: any WallClock
    private let logger: Logger
    private let outbox = OutboxRepository()

    public init(database: Database, clock: any WallClock, logger: Logger) {
        self.database = database
        self.clock = clock
        self.logger = logger
    }

    // MARK: The worker's side

    public func claim(worker: UUID, lease: Duration) async throws -> ClaimedMail? {
        try await database.transaction { try await outbox.claim(worker: worker, lease: lease, on: $0) }
    }

    /// False when the lease was lost: the work must stop.
    public func heartbeat(_ mail: ClaimedMail, worker: UUID, lease: Duration) async throws -> Bool {
        try await database.transaction { try await outbox.heartbeat(mail, worker: worker, lease: lease, on: $0) }
    }

    /// Commits the point of no return; false when the lease was lost, and the dot must not be sent.
    public func reachFinalDot(_ mail: ClaimedMail, worker: UUID) async throws -> Bool {
        try await database.transaction { try await outbox.reachFinalDot(mail, worker: worker, on: $0) }
    }

    /// Records the outcome and, for a rejection by the server, the person's bounce score, in
    /// one transaction. Nil when another replica rescued the row meanwhile.
    @discardableResult
    public func finish(
        _ mail: ClaimedMail,
        _ outcome: DeliveryOutcome,
        worker: UUID
    ) async throws
        -> OutboxRecord.Status?
    {
        let now = clock.now()
        return try await database.transaction { connection in
            let status = try await outbox.finish(mail, outcome, worker: worker, at: now, on: connection)
            if let person = mail.personID, let status {
                switch outcome {
                case .permanent(_, bounced: true):
                    try await outbox.bounce(person, points: 2, at: now, on: connection)
                case .transient where status == .failed:
                    try await outbox.bounce(person, points: 1, at: now, on: connection)
                default:
                    break
                }
            }
            return status
        }
    }

    public func release(_ mail: ClaimedMail, worker: UUID) async throws {
        try await database.transaction { try await outbox.release(mail, worker: worker, on: $0) }
    }

    /// Nil when another replica does this pass.
    public func rescueExpired() async throws -> (pending: Int, unknown: Int)? {
        try await database.transaction { try await outbox.rescueExpired(on: $0) }
    }

    public func prune() async throws -> Int {
        let now = clock.now()
        return try await database.transaction { try await outbox.prune(before: now, on: $0) }
    }

    public func counts() async throws -> [String: Int] {
        try await database.read { try await outbox.counts(on: $0) }
    }

    // MARK: The admins' side

    public func list(
        status: OutboxRecord.Status?,
        kind: OutboxRecord.Kind?,
        person: PersonID?,
        page: PageRequest,
        caller: Caller
    ) async throws -> Page<OutboxRecord> {
        _ = try AccessPolicy.decide(.listOutbox, caller: caller).rule(or: "outbox")
        return try await database.read { connection in
            let fetched = try await outbox.list(
                status: status,
                kind: kind,
                person: person,
                before: page.after.map(JobRecord.id(fromCursor:)),
                limit: page.limit + 1,
                on: connection
            )
            return Page(fetched: fetched, limit: page.limit) { $0.cursorID }
        }
    }

    /// An `unknown` or `failed` mail goes again, with the Message-ID it had. The admin decides
    /// that a possible duplicate is better than a lost message; the log says who.
    public func resend(_ id: Int64, caller: Caller) async throws -> OutboxRecord {
        _ = try AccessPolicy.decide(.resendOutboxMail, caller: caller).rule(or: "outbox")
        let resent = try await database.transaction { connection in
            let current = try await record(id, on: connection)
            guard try await outbox.resend(id, on: connection) else {
                throw DossierError(
                    .conflict,
                    slug: .mailNotResent,
                    detail: current.status == .unknown || current.status == .failed
                        ? "This mail's message was pruned after 30 days; it cannot be sent again."
                        : "Only an unknown or failed mail can be sent again; this one is \(current.status.rawValue)."
                )
            }
            try await JobQueue().wake(.mail, on: connection)
            return try await record(id, on: connection)
        }
        logger.info(
            "mail resent by an admin",
            metadata: ["outbox_id": "\(id)", "actor": "\(caller.personID.map { "\($0)" } ?? "-")"]
        )
        return resent
    }

    private func record(_ id: Int64, on connection: DatabaseConnection) async throws -> OutboxRecord {
        let found = try await outbox.list(
            status: nil,
            kind: nil,
            person: nil,
            before: nil,
            limit: 1,
            id: id,
            on: connection
        )
        guard let record = found.first else { throw DossierError.notFound("mail") }
        return record
    }
}
