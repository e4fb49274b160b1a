import Foundation

/// One retention run: a dry run lists, an execute run plans, waits for approval where the
/// circuit breaker says so, and then hides and purges.
public struct RetentionRun: Sendable, Equatable {
    public enum Entity {}
    public typealias ID = Identifier<Entity>

    public enum Mode: String, Sendable, CaseIterable {
        case dryRun = "dry_run"
        case execute
    }

    public enum Status: String, Sendable, CaseIterable {
        case planned
        case awaitingApproval = "awaiting_approval"
        case approved, running, done, aborted
    }

    public enum Trigger: String, Sendable {
        case admin, scheduler, cli
    }

    public let id: ID
    public let mode: Mode
    public var status: Status
    public let policyID: String
    public let policyVersion: Int
    public let asOf: CalendarDate
    public let trigger: Trigger
    public let requestedBy: PersonID?
    public var approvedBy: PersonID?
    public var approvedAt: Date?
    public var counts: RetentionCounts
    public let windows: RetentionWindowCounts
    public let createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?

    public init(
        id: ID,
        mode: Mode,
        status: Status,
        policyID: String,
        policyVersion: Int,
        asOf: CalendarDate,
        trigger: Trigger,
        requestedBy: PersonID?,
        approvedBy: PersonID? = nil,
        approvedAt: Date? = nil,
        counts: RetentionCounts,
        windows: RetentionWindowCounts,
        createdAt: Date,
        startedAt: Date? = nil,
        finishedAt: Date? = nil
    ) {
        self.id = id
        self.mode = mode
        self.status = status
        self.policyID = policyID
        self.policyVersion = policyVersion
        self.asOf = asOf
        self.trigger = trigger
        self.requestedBy = requestedBy
        self.approvedBy = approvedBy
        self.approvedAt = approvedAt
        self.counts = counts
        self.windows = windows
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }

    /// Who acted, as the disposal log names them: staff ids only, never a trainee.
    var actor: String { Self.actor(trigger: trigger, requestedBy: requestedBy) }

    /// Who acted, as the disposal log names them: `scheduler`, or the trigger and the admin's id.
    static func actor(trigger: Trigger, requestedBy: PersonID?) -> String {
        switch trigger {
        case .scheduler: "scheduler"
        case .admin, .cli: "\(trigger.rawValue):\(requestedBy?.uuid.lowercasedString ?? "unknown")"
        }
    }

    /// What the disposal-log records of this run say about it.
    var logContext: DisposalRecord.Context {
        DisposalRecord.Context(runID: id, policyID: policyID, policyVersion: policyVersion, actor: actor)
    }
}

/// What a run planned (hide, purge, held) and what became of it (hidden, purged, changed, failed).
public struct RetentionCounts: Sendable, Equatable, Codable {
    public var hide = 0
    public var purge = 0
    public var held = 0
    public var hidden = 0
    public var purged = 0
    public var changed = 0
    public var failed = 0

    public init() {}

    /// How many portfolios the plan would hide or purge: what the circuit breaker weighs.
    public var disposals: Int { hide + purge }
}

/// One line of a plan.
public struct RetentionCandidate: Sendable, Equatable {
    public enum Planned: String, Sendable {
        case hide, purge, held
    }

    public enum Outcome: String, Sendable {
        case hidden, purged, changed, failed
    }

    public let portfolioID: Portfolio.ID
    public let traineeID: PersonID
    public let dates: RetentionDates
    public let planned: Planned
    public let holdID: LegalHold.ID?
    public var outcome: Outcome?

    public init(
        portfolioID: Portfolio.ID,
        traineeID: PersonID,
        dates: RetentionDates,
        planned: Planned,
        holdID: LegalHold.ID?,
        outcome: Outcome? = nil
    ) {
        self.portfolioID = portfolioID
        self.traineeID = traineeID
        self.dates = dates
        self.planned = planned
        self.holdID = holdID
        self.outcome = outcome
    }
}

/// A portfolio as retention sees it: whose it is, when training ended, and its disposal state.
public struct RetentionSubject: Sendable, Equatable {
    public let portfolioID: Portfolio.ID
    public let traineeID: PersonID
    public let completedAt: CalendarDate?
    public let hidden: Bool

    public init(portfolioID: Portfolio.ID, traineeID: PersonID, completedAt: CalendarDate?, hidden: Bool) {
        self.portfolioID = portfolioID
        self.traineeID = traineeID
        self.completedAt = completedAt
        self.hidden = hidden
    }
}

/// The plan as a pure function of the portfolios, the active holds, the policy and the day.
public enum RetentionPlanner {
    public static func plan(
        _ subjects: [RetentionSubject],
        holds: [LegalHold],
        policy: RetentionPolicy,
        today: CalendarDate
    ) -> (candidates: [RetentionCandidate], windows: RetentionWindowCounts, unhide: [Portfolio.ID]) {
        var windows = RetentionWindowCounts()
        var candidates: [RetentionCandidate] = []
        var unhide: [Portfolio.ID] = []
        for subject in subjects {
            windows.count(PortfolioWindows.status(completedAt: subject.completedAt, policy: policy, today: today))
            let action = subject.completedAt.map { RetentionDates(completedAt: $0, policy: policy).action(on: today) }
            // Hidden in its grace period, but no longer due (a corrected date, a longer policy).
            if subject.hidden && (action ?? .keep) == .keep { unhide.append(subject.portfolioID) }
            guard let completedAt = subject.completedAt, let action else { continue }
            let dates = RetentionDates(completedAt: completedAt, policy: policy)
            // A hidden portfolio is planned again only for its purge.
            guard action == .purge || (action == .hide && !subject.hidden) else { continue }
            let hold = LegalHold.first(of: holds, covering: subject.portfolioID, trainee: subject.traineeID)
            candidates.append(
                RetentionCandidate(
                    portfolioID: subject.portfolioID,
                    traineeID: subject.traineeID,
                    dates: dates,
                    planned: hold != nil ? .held : action == .purge ? .purge : .hide,
                    holdID: hold?.id
                )
            )
        }
        return (candidates, windows, unhide)
    }

    public static func counts(_ candidates: [RetentionCandidate]) -> RetentionCounts {
        var counts = RetentionCounts()
        for candidate in candidates {
            switch candidate.planned {
            case .hide: counts.hide += 1
            case .purge: counts.purge += 1
            case .held: counts.held += 1
            }
            switch candidate.outcome {
            case .hidden: counts.hidden += 1
            case .purged: counts.purged += 1
            case .changed: counts.changed += 1
            case .failed: counts.failed += 1
            case nil: break
            }
        }
        return counts
    }
}
