import Foundation

/// A person known to the institute: trainee, trainer, teacher, coordinator, admin.
public struct Person: Sendable, Equatable {
    public let id: PersonID
    public var name: String
    public var email: String
    public var roles: Set<Role>
    public var trainee: TraineeProfile?
    public let version: Int
    public let createdAt: Date
    public let updatedAt: Date

    public init(
        id: PersonID,
        name: String,
        email: String,
        roles: Set<Role>,
        trainee: TraineeProfile?,
        version: Int,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.name = name
        self.email = email
        self.roles = roles
        self.trainee = trainee
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The strong ETag of this state; any change bumps `version`.
    public var etag: String { "\"\(id)-\(version)\"" }
}

/// The training facts of a trainee. The completion date lives here and nowhere else.
public struct TraineeProfile: Sendable, Equatable {
    public var startDate: CalendarDate
    public var expectedEndDate: CalendarDate
    public var trainingYear: Int
    public var site: Site
    public var groupID: GroupID?
    public var status: TraineeStatus
    public var completedAt: CalendarDate?

    public init(
        startDate: CalendarDate,
        expectedEndDate: CalendarDate,
        trainingYear: Int,
        site: Site,
        groupID: GroupID?,
        status: TraineeStatus = .active,
        completedAt: CalendarDate? = nil
    ) {
        self.startDate = startDate
        self.expectedEndDate = expectedEndDate
        self.trainingYear = trainingYear
        self.site = site
        self.groupID = groupID
        self.status = status
        self.completedAt = completedAt
    }
}
