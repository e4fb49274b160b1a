import Foundation
import Logging

/// Retention runs (worker.md 6.6): plans that list exactly what would be hidden or purged and
/// what is held; approval behind the circuit breaker; certificates; the disposal-log lookup.
public struct RetentionService: Sendable {
    private let database: Database
    private let clock: any WallClock
    private let keys: RetentionKeys
    private let failpoints: Failpoints
    private let logger: Logger
    private let runs = RetentionRunRepository()
    private let subjects = RetentionSubjectRepository()
    private let policies = RetentionPolicyRepository()
    private let holds = LegalHoldRepository()
    private let log = DisposalLogRepository()
    private let jobs = JobQueue()
    private let people = PersonRepository()

    public init(
        database: Database,
        clock: any WallClock,
        secretKey: SecretKey,
        failpoints: Failpoints = .disabled,
        logger: Logger
    ) {
        self.database = database
        self.clock = clock
        self.keys = RetentionKeys(secretKey: secretKey)
        self.failpoints = failpoints
        self.logger = logger
    }

    // MARK: Policy

    public func currentPolicy(caller: Caller) async throws -> RetentionPolicyVersion {
        _ = try AccessPolicy.decide(.getRetentionPolicy, caller: caller).rule(or: "policy")
        guard let policy = try await database.read({ try await policies.current(on: $0) }) else {
            throw DossierError.notFound("retention policy")
        }
        return policy
    }

    public func policyVersions(caller: Caller) async throws -> [RetentionPolicyVersion] {
        _ = try AccessPolicy.decide(.listRetentionPolicyVersions, caller: caller).rule(or: "policy")
        return try await database.read { try await policies.versions(on: $0) }
    }

    /// A change is a new version with a reason; runs already planned keep the version they name.
    public func changePolicy(_ change: RetentionPolicyChange, caller: Caller) async throws -> RetentionPolicyVersion {
        _ = try AccessPolicy.decide(.createRetentionPolicyVersion, caller: caller).rule(or: "policy")
        guard let admin = caller.personID else { throw DossierError.forbidden("Only a person can change the policy.") }
        let reason = try change.validated()
        do {
            let version = try await database.transaction { connection in
                try await policies.insertNext(change, reason: reason, by: admin, at: clock.now(), on: connection)
            }
            logger.info(
                "retention policy changed",
                metadata: ["policy_version": "\(version.policy.version)", "actor": "\(admin)"]
            )
            return version
        } catch let error where ConstraintViolation(error)?.kind == .unique {
            throw DossierError(
                .conflict,
                slug: .concurrentPolicyChange,
                detail: "Another admin changed the policy at the same moment; read it again and retry."
            )
        }
    }

    // MARK: Runs

    /// Plans a run for today. A dry run stops at the plan; an execute run within the policy's
    /// auto-approve maximum is approved and queued at once, a bigger one waits for an admin.
    public func plan(_ mode: RetentionRun.Mode, by actor: RetentionActor) async throws -> RetentionRun {
        let now = clock.now()
        let today = CalendarDate(now)
        do {
            return try await plan(mode, by: actor, now: now, today: today)
        } catch let error where ConstraintViolation(error)?.kind == .unique {
            throw DossierError(
                .conflict,
                slug: .scheduledRunExists,
                detail: "The scheduler has planned today's execute run already."
            )
        }
    }

    private func plan(
        _ mode: RetentionRun.Mode,
        by actor: RetentionActor,
        now: Date,
        today: CalendarDate
    ) async throws -> RetentionRun {
        let run = try await database.transaction { connection in
            let admin = try await actor.admin(for: .createRetentionRun, people: people, on: connection)
            guard let policy = try await policies.current(on: connection)?.policy else {
                throw DossierError.notFound("retention policy")
            }
            let (candidates, windows, unhide) = RetentionPlanner.plan(
                try await subjects.subjects(on: connection),
                holds: try await holds.active(on: connection),
                policy: policy,
                today: today
            )
            let counts = RetentionPlanner.counts(candidates)
            let status: RetentionRun.Status =
                switch mode {
                case .dryRun: .planned
                case .execute:
                    counts.disposals == 0
                        ? .done : counts.disposals <= policy.autoApproveMax ? .approved : .awaitingApproval
                }
            let run = RetentionRun(
                id: .generate(),
                mode: mode,
                status: status,
                policyID: policy.id,
                policyVersion: policy.version,
                asOf: today,
                trigger: actor.trigger,
                requestedBy: admin,
                approvedAt: status == .approved ? now : nil,
                counts: counts,
                windows: windows,
                createdAt: now,
                finishedAt: status == .done || status == .planned ? now : nil
            )
            try await runs.insert(run, candidates: candidates, on: connection)
            // A crash here rolls the whole plan back: no half plan can ever be approved or executed.
            await failpoints.reach("retention.plan.after-candidates")
            if mode == .execute {
                let stale =
                    try await runs.awaitingApproval(except: run.id, on: connection)
                    + (try await runs.stranded(on: connection)).filter { $0 != run.id }
                for superseded in stale {
                    try await abort(superseded, actor: run.actor, at: now, on: connection)
                }
                try await subjects.unhide(unhide, on: connection)
            }
            try await appendRunEvents(run, on: connection)
            if status == .approved { try await jobs.enqueue(.retentionExecute(run.id), on: connection) }
            return run
        }
        logger.info(
            "retention run planned",
            metadata: [
                "run_id": "\(run.id)", "mode": "\(mode.rawValue)", "status": "\(run.status.rawValue)",
                "hide": "\(run.counts.hide)", "purge": "\(run.counts.purge)", "held": "\(run.counts.held)",
            ]
        )
        return run
    }

    /// Approves a run waiting behind the circuit breaker and queues its execution.
    /// The admin at the server's shell that `dossier retention --admin EMAIL` names; whether they
    /// hold the admin role is checked when they act.
    public func actor(admin email: String) async throws -> RetentionActor {
        guard let person = try await database.read({ try await people.findByEmail(email, on: $0) }) else {
            throw DossierError.forbidden("No person with the e-mail address given to --admin exists.")
        }
        return .cli(person.id)
    }

    public func approve(_ id: RetentionRun.ID, by actor: RetentionActor) async throws -> RetentionRun {
        let now = clock.now()
        let run = try await database.transaction { connection in
            let admin = try await actor.admin(for: .approveRetentionRun, people: people, on: connection)
            guard var run = try await runs.lock(id, on: connection) else {
                throw DossierError.notFound("retention run")
            }
            guard run.mode == .execute else {
                throw DossierError(
                    .conflict,
                    slug: .dryRunNotApprovable,
                    detail: "A dry run only lists what would happen; plan an execute run to delete."
                )
            }
            guard run.status == .awaitingApproval else {
                throw DossierError(
                    .conflict,
                    slug: .runNotAwaitingApproval,
                    detail:
                        "This run is \(run.status.rawValue.replacingOccurrences(of: "_", with: " ")), not awaiting approval."
                )
            }
            if let admin, run.requestedBy == admin, try await policies.current(on: connection)?.policy.fourEyes ?? true
            {
                throw DossierError(
                    .conflict,
                    slug: .fourEyesRequired,
                    detail:
                        "You requested this run; another admin must approve it (four eyes). A one-admin installation turns this off with a policy version that sets four_eyes to false."
                )
            }
            run.status = .approved
            run.approvedBy = admin
            run.approvedAt = now
            try await runs.update(run, on: connection)
            try await jobs.enqueue(.retentionExecute(run.id), on: connection)
            return run
        }
        logger.info(
            "retention run approved",
            metadata: ["run_id": "\(id)", "actor": "\(run.approvedBy.map { "\($0)" } ?? "-")"]
        )
        return run
    }

    public func get(_ id: RetentionRun.ID, by actor: RetentionActor) async throws -> RetentionRun {
        try await database.read { connection in
            _ = try await actor.admin(for: .getRetentionRun, people: people, on: connection)
            guard var run = try await runs.find(id, on: connection) else {
                throw DossierError.notFound("retention run")
            }
            // A run in progress reports its outcomes so far, so its progress can be followed.
            if run.status == .running { run.counts = try await runs.counts(of: id, on: connection) }
            return run
        }
    }

    public func list(
        mode: RetentionRun.Mode?,
        status: RetentionRun.Status?,
        page: PageRequest,
        by actor: RetentionActor
    ) async throws -> Page<RetentionRun> {
        try await database.read { connection in
            _ = try await actor.admin(for: .listRetentionRuns, people: people, on: connection)
            let fetched = try await runs.list(
                mode: mode,
                status: status,
                after: page.after,
                limit: page.limit + 1,
                on: connection
            )
            return Page(fetched: fetched, limit: page.limit) { $0.id.uuid }
        }
    }

    public func candidates(
        of id: RetentionRun.ID,
        page: PageRequest,
        by actor: RetentionActor
    ) async throws -> Page<RetentionCandidate> {
        try await database.read { connection in
            _ = try await actor.admin(for: .listRetentionCandidates, people: people, on: connection)
            guard try await runs.find(id, on: connection) != nil else { throw DossierError.notFound("retention run") }
            let fetched = try await runs.candidates(of: id, after: page.after, limit: page.limit + 1, on: connection)
            return Page(fetched: fetched, limit: page.limit) { $0.portfolioID.uuid }
        }
    }

    /// The signed certificate of a finished run (a dry run is finished once planned).
    public func certificate(of id: RetentionRun.ID, by actor: RetentionActor) async throws -> RetentionCertificate {
        let now = clock.now()
        return try await database.read { connection in
            _ = try await actor.admin(for: .getRetentionCertificate, people: people, on: connection)
            guard let run = try await runs.find(id, on: connection) else {
                throw DossierError.notFound("retention run")
            }
            guard [.planned, .done, .aborted].contains(run.status) else {
                throw DossierError(
                    .conflict,
                    slug: .runNotFinished,
                    detail:
                        "This run is \(run.status.rawValue.replacingOccurrences(of: "_", with: " ")); its certificate is issued when it is done."
                )
            }
            let range = try await log.range(of: id, on: connection)
            return try RetentionCertificate(run: run, records: range, issuedAt: now).signed(with: keys)
        }
    }

    /// "Was portfolio X deleted, when and under which policy?", for whoever knows X.
    public func disposals(of portfolio: Portfolio.ID, caller: Caller) async throws -> [DisposalRecord] {
        _ = try AccessPolicy.decide(.listDisposals, caller: caller).rule(or: "disposal")
        return try await database.read { try await log.records(subjectRef: keys.subjectRef(portfolio), on: $0) }
    }

    public func isGenuine(_ certificate: RetentionCertificate) -> Bool { certificate.isValid(with: keys) }

    /// The run-level events of a plan: one `planned` record with the number to dispose of, one
    /// `held` record with the number held; per-portfolio records come with each deletion.
    private func appendRunEvents(_ run: RetentionRun, on connection: DatabaseConnection) async throws {
        for (event, count) in [(DisposalRecord.Event.planned, run.counts.disposals), (.held, run.counts.held)]
        where event == .planned || count > 0 {
            try await log.append(
                DisposalRecord(
                    runID: run.id,
                    event: event,
                    subjectRef: nil,
                    policyID: run.policyID,
                    policyVersion: run.policyVersion,
                    completedMonth: nil,
                    itemCount: count,
                    byteCount: nil,
                    actor: run.actor,
                    at: run.createdAt
                ),
                on: connection
            )
        }
    }

    /// A newer plan supersedes a run still waiting (approving yesterday's list would act on stale
    /// facts) and one whose execution died (its job dead or cancelled); the new plan covers what
    /// either left undone.
    private func abort(
        _ id: RetentionRun.ID,
        actor: String,
        at now: Date,
        on connection: DatabaseConnection
    ) async throws {
        guard var run = try await runs.lock(id, on: connection),
            [.awaitingApproval, .approved, .running].contains(run.status)
        else { return }
        run.counts = try await runs.counts(of: id, on: connection)
        run.status = .aborted
        run.finishedAt = now
        try await runs.update(run, on: connection)
        try await log.append(
            DisposalRecord(
                runID: id,
                event: .aborted,
                subjectRef: nil,
                policyID: run.policyID,
                policyVersion: run.policyVersion,
                completedMonth: nil,
                itemCount: 0,
                byteCount: nil,
                actor: actor,
                at: now
            ),
            on: connection
        )
    }
}
