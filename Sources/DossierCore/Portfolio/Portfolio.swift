import Foundation

/// A trainee's record of learning, as far as its life cycle goes: whose it is, the policy it
/// falls under, and the windows derived from the trainee's completion date.
public struct Portfolio: Sendable, Equatable {
    public enum Entity {}
    public typealias ID = Identifier<Entity>

    public let id: ID
    public let traineeID: PersonID
    public let completedAt: CalendarDate?
    public let policy: RetentionPolicy
    public let createdAt: Date

    public init(id: ID, traineeID: PersonID, completedAt: CalendarDate?, policy: RetentionPolicy, createdAt: Date) {
        self.id = id
        self.traineeID = traineeID
        self.completedAt = completedAt
        self.policy = policy
        self.createdAt = createdAt
    }

    public var windows: PortfolioWindows? {
        completedAt.map { PortfolioWindows(completedAt: $0, policy: policy) }
    }

    public func status(on today: CalendarDate) -> PortfolioStatus {
        PortfolioWindows.status(completedAt: completedAt, policy: policy, today: today)
    }
}
