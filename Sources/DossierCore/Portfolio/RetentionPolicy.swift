import Foundation

/// How long a portfolio lives after its trainee's completion, as one versioned policy.
public struct RetentionPolicy: Sendable, Equatable {
    public let id: String
    public let version: Int
    /// Deleted this many months after completion (24: two years).
    public let keepMonths: Int
    /// Downloadable by the trainee this many months after completion (6).
    public let downloadMonths: Int
    /// Hidden from the API this many days before deletion.
    public let graceDays: Int
    /// The circuit breaker: a plan disposing of more portfolios than this waits for an admin.
    public let autoApproveMax: Int
    /// Whether a run above `autoApproveMax` needs a second admin to approve it.
    public let fourEyes: Bool

    public init(
        id: String,
        version: Int,
        keepMonths: Int,
        downloadMonths: Int,
        graceDays: Int,
        autoApproveMax: Int = 25,
        fourEyes: Bool = true
    ) {
        self.id = id
        self.version = version
        self.keepMonths = keepMonths
        self.downloadMonths = downloadMonths
        self.graceDays = graceDays
        self.autoApproveMax = autoApproveMax
        self.fourEyes = fourEyes
    }
}

/// A version of the policy with who made it, when and why.
public struct RetentionPolicyVersion: Sendable, Equatable {
    public let policy: RetentionPolicy
    public let reason: String
    public let createdBy: PersonID?
    public let createdAt: Date

    public init(policy: RetentionPolicy, reason: String, createdBy: PersonID?, createdAt: Date) {
        self.policy = policy
        self.reason = reason
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}

/// Where a portfolio stands in its life, derived from the completion date, the policy and today.
public enum PortfolioStatus: String, Sendable, Equatable {
    /// Training goes on.
    case active
    /// Training ended; the trainee may still download it.
    case downloadable
    /// The download window closed; kept (for appeals, audits) until deletion.
    case closed
    /// Past `delete_after`: the retention run deletes it.
    case due
}

/// The dates that follow from a completion: the one function that knows how to add the policy's
/// months to a calendar date (in the institute's zone, with month ends clamped: 29 February 2024
/// plus two years is 28 February 2026).
public struct PortfolioWindows: Sendable, Equatable {
    public let downloadUntil: CalendarDate
    public let deleteAfter: CalendarDate

    public init(completedAt: CalendarDate, policy: RetentionPolicy) {
        self.downloadUntil = completedAt.adding(months: policy.downloadMonths)
        self.deleteAfter = completedAt.adding(months: policy.keepMonths)
    }

    public static func status(
        completedAt: CalendarDate?,
        policy: RetentionPolicy,
        today: CalendarDate
    ) -> PortfolioStatus {
        guard let completedAt else { return .active }
        let windows = PortfolioWindows(completedAt: completedAt, policy: policy)
        if today <= windows.downloadUntil { return .downloadable }
        return today <= windows.deleteAfter ? .closed : .due
    }
}

extension CalendarDate {
    /// The same day `months` later; a day past the end of the target month becomes its last day.
    public func adding(months: Int) -> CalendarDate {
        let total = year * 12 + (month - 1) + months
        let targetYear = total / 12
        let targetMonth = total % 12 + 1
        let lastDay = CalendarDate.days(inMonth: targetMonth, year: targetYear)
        return CalendarDate(year: targetYear, month: targetMonth, day: Swift.min(day, lastDay))
    }
}
