import Foundation

/// One item of a trainee's record of learning.
public struct Entry: Sendable, Equatable {
    public enum Entity {}
    public typealias ID = Identifier<Entity>

    public enum Kind: String, CaseIterable, Sendable {
        case reflection
        case learningGoal = "learning_goal"
        case `case`
        case meetingNote = "meeting_note"
        case certificate
        case other
    }

    public let id: ID
    public let portfolioID: Portfolio.ID
    public let kind: Kind
    public let title: String
    public let body: String
    public let tags: [String]
    /// Professional activities (KBA/EPA codes) the entry is evidence for.
    public let activities: [String]
    /// A draft (false) is the trainee's alone; supervisors see shared entries.
    public let shared: Bool
    public let comments: [Comment]
    public let version: Int
    public let createdAt: Date
    public let updatedAt: Date

    public init(
        id: ID,
        portfolioID: Portfolio.ID,
        kind: Kind,
        title: String,
        body: String,
        tags: [String],
        activities: [String],
        shared: Bool,
        comments: [Comment],
        version: Int = 1,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.portfolioID = portfolioID
        self.kind = kind
        self.title = title
        self.body = body
        self.tags = tags
        self.activities = activities
        self.shared = shared
        self.comments = comments
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The strong ETag of this state; any change bumps `version`.
    public var etag: String { "\"\(id)-\(version)\"" }

    /// Feedback on an entry, readable by the trainee.
    public struct Comment: Sendable, Equatable {
        public enum Entity {}
        public typealias ID = Identifier<Entity>

        public let id: ID
        public let authorID: PersonID
        public let body: String
        public let createdAt: Date

        public init(id: ID, authorID: PersonID, body: String, createdAt: Date) {
            self.id = id
            self.authorID = authorID
            self.body = body
            self.createdAt = createdAt
        }
    }
}

/// The rules of an entry's fields, every broken one reported at once.
public enum EntryRules {
    public static let maximumBodyBytes = 100_000
    public static let maximumTags = 50

    public struct Input: Sendable {
        public var kind: String
        public var title: String
        public var body: String
        public var tags: [String]
        public var activities: [String]
        public var shared: Bool

        public init(kind: String, title: String, body: String, tags: [String], activities: [String], shared: Bool) {
            self.kind = kind
            self.title = title
            self.body = body
            self.tags = tags
            self.activities = activities
            self.shared = shared
        }
    }

    public static func validate(_ input: Input) throws(DossierError) -> (Entry.Kind, String) {
        var errors: [FieldError] = []
        let kind = Entry.Kind(rawValue: input.kind)
        if kind == nil {
            errors.append(
                FieldError("/kind", "must be one of \(Entry.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            )
        }
        let title = PersonRules.validName(input.title, pointer: "/title", into: &errors)
        if input.body.utf8.count > maximumBodyBytes {
            errors.append(FieldError("/body", "must be at most \(maximumBodyBytes) bytes (100 kB)"))
        }
        for (field, values) in [("tags", input.tags), ("activities", input.activities)] {
            if values.count > maximumTags {
                errors.append(FieldError("/\(field)", "must hold at most \(maximumTags) items"))
            }
            for (index, value) in values.enumerated() where value.isEmpty || value.count > 50 {
                errors.append(FieldError("/\(field)/\(index)", "must be 1-50 characters"))
            }
        }
        guard errors.isEmpty, let kind, let title else { throw .validation(errors) }
        return (kind, title)
    }
}
