/// What retention does with one portfolio today: the single rule behind the API's windows, a
/// dry run, a plan and the re-check at deletion time, so they can never disagree.
public enum RetentionAction: String, Sendable, Equatable {
    /// Not completed, or not yet within the grace period before its due date.
    case keep
    /// Within the grace period: hidden from the API (soft delete), still restorable.
    case hide
    /// Past its due date: purged.
    case purge
}

/// The retention dates of one completed portfolio under one policy.
public struct RetentionDates: Sendable, Equatable {
    public let completedAt: CalendarDate
    /// The last day the portfolio is kept; it is purged on the day after.
    public let deleteAfter: CalendarDate
    /// The first day it is hidden: `grace_days` before it is purged.
    public let hideOn: CalendarDate

    public init(completedAt: CalendarDate, policy: RetentionPolicy) {
        let windows = PortfolioWindows(completedAt: completedAt, policy: policy)
        self.completedAt = completedAt
        self.deleteAfter = windows.deleteAfter
        self.hideOn = windows.deleteAfter.adding(days: 1 - policy.graceDays)
    }

    public init(completedAt: CalendarDate, deleteAfter: CalendarDate, hideOn: CalendarDate) {
        self.completedAt = completedAt
        self.deleteAfter = deleteAfter
        self.hideOn = hideOn
    }

    /// Purged the day after `deleteAfter`, so nothing outlives its retention by more than the one
    /// day between two daily runs; hidden from `hideOn`.
    public func action(on today: CalendarDate) -> RetentionAction {
        if today > deleteAfter { return .purge }
        return today >= hideOn ? .hide : .keep
    }
}

extension RetentionAction {
    /// The lesser of two actions: execution never goes further than the approved plan said, nor
    /// further than the rule allows at the moment of deletion.
    public func atMost(_ other: RetentionAction) -> RetentionAction {
        let order: [RetentionAction] = [.keep, .hide, .purge]
        let rank = { (action: RetentionAction) in order.firstIndex(of: action) ?? 0 }
        return rank(self) <= rank(other) ? self : other
    }
}

/// How many portfolios stand where in their life (issue 6, item 6): reported with every run.
public struct RetentionWindowCounts: Sendable, Equatable, Codable {
    public var active = 0
    public var inDownloadWindow = 0
    public var pastDownloadWindow = 0
    public var due = 0

    public init() {}

    public init(active: Int, inDownloadWindow: Int, pastDownloadWindow: Int, due: Int) {
        self.active = active
        self.inDownloadWindow = inDownloadWindow
        self.pastDownloadWindow = pastDownloadWindow
        self.due = due
    }

    public mutating func count(_ status: PortfolioStatus) {
        switch status {
        case .active: active += 1
        case .downloadable: inDownloadWindow += 1
        case .closed: pastDownloadWindow += 1
        case .due: due += 1
        }
    }
}
