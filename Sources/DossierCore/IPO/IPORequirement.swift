import Foundation

/// A trainee's part in one activity, as the requirement rule reads it.
public struct IPOParticipation: Sendable, Equatable {
    public let activityID: IPOActivity.ID
    public let title: String
    public let kind: IPOActivity.Kind
    public let countsTowardRequirement: Bool
    public let cancelled: Bool
    public let status: IPOEnrollment.Status
    public let startsAt: Date
    public let endsAt: Date
    public let sessions: Int
    public let attendedSessions: Int

    public init(
        activityID: IPOActivity.ID,
        title: String,
        kind: IPOActivity.Kind,
        countsTowardRequirement: Bool,
        cancelled: Bool,
        status: IPOEnrollment.Status,
        startsAt: Date,
        endsAt: Date,
        sessions: Int,
        attendedSessions: Int
    ) {
        self.activityID = activityID
        self.title = title
        self.kind = kind
        self.countsTowardRequirement = countsTowardRequirement
        self.cancelled = cancelled
        self.status = status
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.sessions = sessions
        self.attendedSessions = attendedSessions
    }

    /// Completed: enrolled in an activity that took place, and attended every session.
    var isCompleted: Bool { !cancelled && status == .enrolled && sessions > 0 && attendedSessions == sessions }

    /// Planned: a seat or a waitlist place in an activity that has not ended.
    func isPlanned(at now: Date) -> Bool { !cancelled && status.isLive && endsAt > now && !isCompleted }

    var countsAsElective: Bool { kind == .elective && countsTowardRequirement }
}

/// Where a trainee stands on the IPO requirement (domain rule 3).
public struct IPORequirement: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case satisfied
        /// Not satisfied, but every missing part has a seat in a counting activity that has not ended.
        case onTrack = "on_track"
        /// Not satisfied and nothing planned, in year 3 or within a year of the expected end.
        case atRisk = "at_risk"
        case notPlanned = "not_planned"
    }

    public enum PartState: String, Sendable {
        case completed, enrolled, waitlisted, missing
    }

    public struct Activity: Sendable, Equatable {
        public let activityID: IPOActivity.ID
        public let title: String
        public let state: PartState
        /// The day of the last session, for a completed one; of the first, for a planned one.
        public let on: CalendarDate
    }

    public let extraActivityRequired: Bool
    public let mandatoryModule: PartState
    public let mandatoryModuleActivity: Activity?
    public let completedElectives: [Activity]
    public let plannedElectives: [Activity]
    public let satisfied: Bool
    public let status: Status
    /// The expected end of training: the requirement must be satisfied by then.
    public let dueBy: CalendarDate
}

/// The requirement as one pure rule: the mandatory IPO part of the elderly-care module for
/// every trainee, and for those who started on or after 1 March 2025 one more counting activity.
public enum IPORequirementRule {
    public static let extraActivityFrom = CalendarDate("2025-03-01")!

    public static func evaluate(
        _ trainee: TraineeProfile,
        _ participations: [IPOParticipation],
        now: Date
    ) -> IPORequirement {
        let today = CalendarDate(now)
        let extra = trainee.startDate >= extraActivityFrom
        let modules = participations.filter { $0.kind == .mandatoryModule }
        let completedModule = modules.first(where: \.isCompleted)
        let plannedModule =
            modules.first { $0.isPlanned(at: now) && $0.status == .enrolled }
            ?? modules.first { $0.isPlanned(at: now) }
        let module: IPORequirement.PartState =
            completedModule != nil
            ? .completed : plannedModule.map { $0.status == .enrolled ? .enrolled : .waitlisted } ?? .missing
        let moduleActivity = (completedModule ?? plannedModule).map {
            IPORequirement.Activity(
                activityID: $0.activityID,
                title: $0.title,
                state: module,
                on: CalendarDate(completedModule != nil ? $0.endsAt : $0.startsAt)
            )
        }
        let electives = participations.filter(\.countsAsElective)
        let completed = electives.filter(\.isCompleted).map {
            IPORequirement.Activity(
                activityID: $0.activityID,
                title: $0.title,
                state: .completed,
                on: CalendarDate($0.endsAt)
            )
        }
        let planned = electives.filter { $0.isPlanned(at: now) }.map {
            IPORequirement.Activity(
                activityID: $0.activityID,
                title: $0.title,
                state: $0.status == .enrolled ? .enrolled : .waitlisted,
                on: CalendarDate($0.startsAt)
            )
        }
        let electiveDone = !extra || !completed.isEmpty
        let satisfied = module == .completed && electiveDone
        let moduleOnTrack = module == .completed || module == .enrolled
        let electiveOnTrack = electiveDone || planned.contains { $0.state == .enrolled }
        let late = trainee.trainingYear >= 3 || today >= trainee.expectedEndDate.adding(days: -365)
        let status: IPORequirement.Status =
            satisfied
            ? .satisfied
            : moduleOnTrack && electiveOnTrack ? .onTrack : late ? .atRisk : .notPlanned
        return IPORequirement(
            extraActivityRequired: extra,
            mandatoryModule: module,
            mandatoryModuleActivity: moduleActivity,
            completedElectives: completed,
            plannedElectives: planned,
            satisfied: satisfied,
            status: status,
            dueBy: trainee.expectedEndDate
        )
    }

    /// Whether the trainee still needs an elective: the waitlist rule `requirement_first` puts
    /// them first. One who holds a seat in (or completed) a counting elective does not.
    static func needsElective(startDate: CalendarDate, holdsCountingElective: Bool) -> Bool {
        startDate >= extraActivityFrom && !holdsCountingElective
    }
}
