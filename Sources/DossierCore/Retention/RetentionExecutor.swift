import Foundation
import Logging

/// Carries out an approved run, one portfolio per short transaction, deleting only what is both
/// in the plan and still eligible at that moment; and the two checks an operator runs after the
/// fact: `verify` (the hash chain) and `reapply` (after a restore from backup).
public struct RetentionExecutor: Sendable {
    /// Thrown when a portfolio is locked by someone else (a hold being placed, a completion being
    /// corrected): the job fails, retries later and resumes with the portfolios still open.
    public struct PortfolioBusy: Error, CustomStringConvertible {
        public let portfolio: Portfolio.ID
        public var description: String { "portfolio \(portfolio) is locked by another transaction; retrying later" }
    }

    private let database: Database
    private let clock: any WallClock
    private let keys: RetentionKeys
    private let failpoints: Failpoints
    private let pause: Duration
    private let logger: Logger
    private let runs = RetentionRunRepository()
    private let policies = RetentionPolicyRepository()
    private let holds = LegalHoldRepository()
    private let subjects = RetentionSubjectRepository()
    private let lock = DisposalLock()
    private let disposals = DisposalRepository()
    private let log = DisposalLogRepository()
    private let people = PersonRepository()

    /// `pause` between portfolios leaves room for the API's queries (worker.md: about 50 ms).
    public init(
        database: Database,
        clock: any WallClock,
        secretKey: SecretKey,
        failpoints: Failpoints = .disabled,
        pause: Duration = .milliseconds(50),
        logger: Logger
    ) {
        self.database = database
        self.clock = clock
        self.keys = RetentionKeys(secretKey: secretKey)
        self.failpoints = failpoints
        self.pause = pause
        self.logger = logger
    }

    /// Executes run `id`; safe to call again after a crash (it resumes where the candidates'
    /// outcomes say it stopped). `progress` gets (done, total) after each portfolio.
    public func execute(
        _ id: RetentionRun.ID,
        progress: @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws {
        let start = clock.now()
        guard
            let (run, runPolicy) = try await database.transaction({ connection -> (RetentionRun, RetentionPolicy)? in
                guard var run = try await runs.lock(id, on: connection) else {
                    throw DossierError.notFound("retention run")
                }
                switch run.status {
                case .approved:
                    run.status = .running
                    run.startedAt = start
                    try await runs.update(run, on: connection)
                case .running:
                    break
                case .done, .aborted, .planned:
                    return nil
                case .awaitingApproval:
                    throw DossierError(.conflict, slug: .runNotApproved, detail: "Run \(id) is not approved.")
                }
                guard let policy = try await policies.find(id: run.policyID, version: run.policyVersion, on: connection)
                else { throw DossierError.notFound("retention policy") }
                return (run, policy)
            })
        else { return }
        let total = run.counts.disposals
        var done = total - (try await openCount(run.id))
        var busy: [Portfolio.ID] = []
        var after: UUID?
        while true {
            let batch = try await database.read {
                try await runs.candidates(of: run.id, after: after, limit: 200, onlyOpen: true, on: $0)
            }
            guard let last = batch.last else { break }
            after = last.portfolioID.uuid
            for candidate in batch {
                try Task.checkCancellation()
                do {
                    try await dispose(candidate, run: run, runPolicy: runPolicy)
                    done += 1
                    progress(done, total)
                } catch let error as PortfolioBusy {
                    busy.append(error.portfolio)
                } catch {
                    try await recordFailure(candidate, run: run, error: error)
                    done += 1
                }
                if pause > .zero { try await Task.sleep(for: pause) }
            }
        }
        // Busy portfolios stay open: the job fails, retries after its backoff and resumes with them.
        if let first = busy.first { throw PortfolioBusy(portfolio: first) }
        try await database.transaction { connection in
            guard var run = try await runs.lock(id, on: connection), run.status == .running else { return }
            run.counts = try await runs.counts(of: id, on: connection)
            run.status = .done
            run.finishedAt = clock.now()
            try await runs.update(run, on: connection)
        }
        logger.info("retention run executed", metadata: ["run_id": "\(id)", "portfolios": "\(total)"])
    }

    /// One portfolio that cannot be disposed of (a lock timeout, a constraint) must not hold up
    /// the rest: it is recorded as failed, stays whole, and the next plan lists it again.
    private func recordFailure(_ candidate: RetentionCandidate, run: RetentionRun, error: any Error) async throws {
        if error is CancellationError { throw error }
        try await database.transaction { connection in
            try await runs.setOutcome(.failed, run: run.id, portfolio: candidate.portfolioID, on: connection)
        }
        logger.error(
            "retention could not dispose of a portfolio; it stays whole",
            metadata: [
                "run_id": "\(run.id)", "portfolio_id": "\(candidate.portfolioID)",
                "error": "\(PostgresErrorText.message(error))",
            ]
        )
    }

    private func openCount(_ run: RetentionRun.ID) async throws -> Int {
        try await database.read { connection in
            let counts = try await runs.counts(of: run, on: connection)
            return counts.disposals - counts.hidden - counts.purged - counts.changed - counts.failed
        }
    }

    /// One portfolio, in one short transaction: the locks of `DisposalLock`, the re-check, the
    /// deletion and the disposal-log record together.
    private func dispose(_ candidate: RetentionCandidate, run: RetentionRun, runPolicy: RetentionPolicy) async throws {
        let now = clock.now()
        let today = CalendarDate(now)
        try await database.transaction { connection in
            let subject: RetentionSubject
            switch try await lock.take(portfolio: candidate.portfolioID, trainee: candidate.traineeID, on: connection) {
            case .locked(let locked):
                subject = locked
            case .traineeBusy:
                throw PortfolioBusy(portfolio: candidate.portfolioID)
            case .portfolioUnavailable:
                if try await disposals.disposal(of: candidate.portfolioID, locking: false, on: connection) == .some(nil)
                {
                    throw PortfolioBusy(portfolio: candidate.portfolioID)
                }
                // Disposed meanwhile (a reapply, an overlapping run) or deleted with its trainee.
                try await runs.setOutcome(.changed, run: run.id, portfolio: candidate.portfolioID, on: connection)
                return
            }
            let action = try await eligibleAction(
                subject,
                planned: candidate.planned,
                runPolicy: runPolicy,
                today: today,
                on: connection
            )
            switch action {
            case .keep:
                if subject.hidden { try await subjects.unhide([subject.portfolioID], on: connection) }
                try await runs.setOutcome(.changed, run: run.id, portfolio: candidate.portfolioID, on: connection)
            case .hide where subject.hidden:
                // Hidden already, by an overlapping run: nothing to do and nothing to log twice.
                try await runs.setOutcome(.changed, run: run.id, portfolio: candidate.portfolioID, on: connection)
            case .hide:
                try await disposals.hide(subject.portfolioID, at: now, on: connection)
                try await record(.hidden, subject, run.logContext, items: nil, bytes: nil, at: now, on: connection)
                try await runs.setOutcome(.hidden, run: run.id, portfolio: candidate.portfolioID, on: connection)
            case .purge:
                let (items, bytes) = try await disposals.purge(
                    subject.portfolioID,
                    trainee: subject.traineeID,
                    run: run.id,
                    at: now,
                    on: connection
                )
                // A kill here leaves the transaction uncommitted: the portfolio is still whole.
                await failpoints.reach("retention.purge.before-commit")
                try await record(.purged, subject, run.logContext, items: items, bytes: bytes, at: now, on: connection)
                try await runs.setOutcome(.purged, run: run.id, portfolio: candidate.portfolioID, on: connection)
            }
        }
    }

    /// The re-check at deletion time: never further than the plan, the run's policy, the current
    /// policy (which may have lengthened retention since) or an active hold allow.
    private func eligibleAction(
        _ subject: RetentionSubject,
        planned: RetentionCandidate.Planned,
        runPolicy: RetentionPolicy,
        today: CalendarDate,
        on connection: DatabaseConnection
    ) async throws -> RetentionAction {
        guard let completedAt = subject.completedAt,
            try await holds.active(covering: subject.portfolioID, trainee: subject.traineeID, on: connection).isEmpty,
            let current = try await policies.current(on: connection)?.policy
        else { return .keep }
        let plannedAction: RetentionAction = planned == .purge ? .purge : planned == .hide ? .hide : .keep
        return
            plannedAction
            .atMost(RetentionDates(completedAt: completedAt, policy: runPolicy).action(on: today))
            .atMost(RetentionDates(completedAt: completedAt, policy: current).action(on: today))
    }

    private func record(
        _ event: DisposalRecord.Event,
        _ subject: RetentionSubject,
        _ run: DisposalRecord.Context,
        items: Int?,
        bytes: Int64?,
        at now: Date,
        on connection: DatabaseConnection
    ) async throws {
        try await log.append(
            DisposalRecord(
                runID: run.runID,
                event: event,
                subjectRef: keys.subjectRef(subject.portfolioID),
                policyID: run.policyID,
                policyVersion: run.policyVersion,
                completedMonth: subject.completedAt,
                itemCount: items,
                byteCount: bytes,
                actor: run.actor,
                at: now
            ),
            on: connection
        )
    }

    // MARK: After the fact

    /// Recomputes the whole chain; returns how many records it checked and the first broken link.
    public func verify(
        progress: @Sendable (Int) -> Void = { _ in }
    ) async throws -> (checked: Int, broken: DisposalChain.Break?) {
        var verifier = DisposalChain.Verifier()
        var after: Int64 = 0
        while true {
            let batch = try await database.read { try await log.records(after: after, limit: 1000, on: $0) }
            guard let last = batch.last else { break }
            for record in batch {
                if let broken = verifier.check(record) { return (verifier.checked, broken) }
            }
            after = last.seq ?? after
            progress(verifier.checked)
        }
        return (verifier.checked, nil)
    }

    /// After a restore from backup: purges again every portfolio the disposal log says was purged
    /// (matched by HMAC, since the log holds no ids): the log in the database, and `copy`, a newer
    /// copy kept outside it (`dossier retention export-log`) for a backup older than the disposals.
    /// Returns how many it purged again and how many it found locked by someone else (run it again
    /// for those).
    public func reapply(
        by admin: PersonID,
        copy: [DisposalRecord] = [],
        progress: @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> (purged: Int, busy: Int) {
        var (purged, current) = try await database.read { connection in
            _ = try await RetentionActor.cli(admin).admin(for: .createRetentionRun, people: people, on: connection)
            return (try await log.purgedSubjects(on: connection), try await subjects.subjects(on: connection))
        }
        for record in copy where record.event == .purged {
            if let ref = record.subjectRef, purged[ref] == nil { purged[ref] = record }
        }
        let restored = current.compactMap { subject in
            purged[keys.subjectRef(subject.portfolioID)].map { (subject, $0) }
        }
        var purgedAgain = 0
        for (index, (subject, original)) in restored.enumerated() {
            let now = clock.now()
            let purged = try await database.transaction { connection -> Bool in
                let take = try await lock.take(
                    portfolio: subject.portfolioID,
                    trainee: subject.traineeID,
                    on: connection
                )
                guard case .locked(let locked) = take else { return false }
                let (items, bytes) = try await disposals.purge(
                    locked.portfolioID,
                    trainee: locked.traineeID,
                    run: original.runID,
                    at: now,
                    on: connection
                )
                let context = DisposalRecord.Context(
                    runID: original.runID,
                    policyID: original.policyID,
                    policyVersion: original.policyVersion,
                    actor: RetentionRun.actor(trigger: .cli, requestedBy: admin)
                )
                try await record(.reapplied, locked, context, items: items, bytes: bytes, at: now, on: connection)
                return true
            }
            if purged { purgedAgain += 1 }
            progress(index + 1, restored.count)
        }
        return (purgedAgain, restored.count - purgedAgain)
    }
}

extension RetentionExecutor {
    /// The disposal log after `seq`, in order, a batch at a time: what `export-log` writes.
    public func records(after seq: Int64, limit: Int = 1000) async throws -> [DisposalRecord] {
        try await database.read { try await log.records(after: seq, limit: limit, on: $0) }
    }

    /// Whether the log still holds the record a certificate names as its chain head.
    public func holds(_ certificate: RetentionCertificate) async throws -> Bool {
        guard let last = certificate.lastSeq, let head = certificate.chainHead else { return true }
        let records = try await database.read { try await log.records(after: last - 1, limit: 1, on: $0) }
        return records.first?.seq == last && records.first?.hash.hexString == head
    }
}
