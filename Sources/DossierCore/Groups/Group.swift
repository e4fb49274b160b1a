import Foundation

/// A year group of trainees, or the flex group for trainees who extend year 1.
public struct Group: Sendable, Equatable {
    public enum Kind: String, CaseIterable, Sendable {
        case year
        case flex
    }

    public let id: GroupID
    public let name: String
    public let kind: Kind
    public let trainingYear: Int
    public let site: Site
    public let teacherIDs: [PersonID]
    public let memberIDs: [PersonID]
    public let createdAt: Date
    public let updatedAt: Date

    public init(
        id: GroupID,
        name: String,
        kind: Kind,
        trainingYear: Int,
        site: Site,
        teacherIDs: [PersonID],
        memberIDs: [PersonID],
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.trainingYear = trainingYear
        self.site = site
        self.teacherIDs = teacherIDs
        self.memberIDs = memberIDs
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
