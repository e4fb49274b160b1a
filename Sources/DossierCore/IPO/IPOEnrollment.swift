import Foundation

public enum IPOEnrollmentEntity {}

/// A trainee's place in an activity: a seat, a place on its waitlist, or one given up.
public struct IPOEnrollment: Sendable, Equatable {
    public typealias ID = Identifier<IPOEnrollmentEntity>

    public enum Status: String, Sendable, CaseIterable {
        case enrolled, waitlisted, cancelled, declined

        var isLive: Bool { self == .enrolled || self == .waitlisted }
    }

    public let id: ID
    public let activityID: IPOActivity.ID
    public let personID: PersonID
    public let status: Status
    public let requestedAt: Date
    public let enrolledAt: Date?
    public let promotedAt: Date?
    public let promotionReason: String?
    public let endedAt: Date?
    public let endReason: String?
    /// The place on the waitlist (1 is next), for a waitlisted enrollment.
    public var position: Int?

    public init(
        id: ID,
        activityID: IPOActivity.ID,
        personID: PersonID,
        status: Status,
        requestedAt: Date,
        enrolledAt: Date?,
        promotedAt: Date?,
        promotionReason: String?,
        endedAt: Date?,
        endReason: String?,
        position: Int? = nil
    ) {
        self.id = id
        self.activityID = activityID
        self.personID = personID
        self.status = status
        self.requestedAt = requestedAt
        self.enrolledAt = enrolledAt
        self.promotedAt = promotedAt
        self.promotionReason = promotionReason
        self.endedAt = endedAt
        self.endReason = endReason
        self.position = position
    }

    /// A seat given by promotion can be declined with one call, whatever the cancellation deadline.
    public var isDeclinable: Bool { status == .enrolled && promotedAt != nil }
}

/// Someone waiting for a seat, with what the waitlist rule orders by.
struct IPOWaitlistCandidate: Sendable, Equatable {
    let enrollmentID: IPOEnrollment.ID
    let personID: PersonID
    /// Drawn from a sequence under the activity's lock: the order of joining.
    let queue: Int64
    /// Moved back from a seat when the capacity was lowered.
    let returned: Bool
    let requestedAt: Date
    /// Still needs an elective for the IPO requirement (see `IPORequirementRule.needsElective`).
    let needsElective: Bool
}

/// The waitlist order, one rule for the positions trainees see and for who is promoted.
enum IPOWaitlist {
    static func ordered(
        _ candidates: [IPOWaitlistCandidate],
        rule: IPOActivity.WaitlistRule
    ) -> [IPOWaitlistCandidate] {
        candidates.sorted { lhs, rhs in
            if lhs.returned != rhs.returned { return lhs.returned }
            if rule == .requirementFirst, lhs.needsElective != rhs.needsElective { return lhs.needsElective }
            return lhs.queue < rhs.queue
        }
    }

    /// Why the first of `ordered` is next, as the promotion records it.
    static func reason(_ next: IPOWaitlistCandidate, rule: IPOActivity.WaitlistRule) -> String {
        let since = RFC3339.string(from: next.requestedAt)
        if next.returned {
            return "Moved back to the waitlist when the capacity was lowered, so first in line; waiting since \(since)."
        }
        switch rule {
        case .firstCome:
            return "First on the waitlist (rule first_come: first come, first served); waiting since \(since)."
        case .requirementFirst where next.needsElective:
            return
                "Still needs an elective for the IPO requirement and waited longest of those (rule requirement_first); waiting since \(since)."
        case .requirementFirst:
            return
                "Nobody waiting still needs an elective for the IPO requirement, so the longest waiting (rule requirement_first); waiting since \(since)."
        }
    }
}

extension IPOActivity.WaitlistRule {
    /// The rule as a trainee reads it next to their position.
    public var explanation: String {
        switch self {
        case .firstCome: "First come, first served: the longest waiting is promoted first."
        case .requirementFirst:
            "Trainees who still need an elective for their IPO requirement are promoted first, then by time of joining."
        }
    }
}
