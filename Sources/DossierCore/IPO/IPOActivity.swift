import Foundation

public enum IPOActivityEntity {}
public enum IPOSessionEntity {}

/// An interprofessional activity (domain rule 3): one or more sessions with other professions,
/// seats for GP trainees, an enrollment window and a waitlist.
public struct IPOActivity: Sendable, Equatable {
    public typealias ID = Identifier<IPOActivityEntity>

    public enum Kind: String, Sendable, CaseIterable {
        /// The IPO part of the elderly-care module, which every trainee takes.
        case mandatoryModule = "mandatory_module"
        case elective
    }

    /// Who is next on the waitlist (pretix: priority first, then the time of joining).
    public enum WaitlistRule: String, Sendable, CaseIterable {
        case firstCome = "first_come"
        /// Trainees who still need an elective for their IPO requirement first, then by time.
        case requirementFirst = "requirement_first"
    }

    public enum Status: String, Sendable, CaseIterable {
        case planned, open, closed, cancelled
    }

    public enum Site: String, Sendable, CaseIterable {
        case leiden
        case denHaag = "den_haag"
        case online
    }

    public struct Session: Sendable, Equatable {
        public typealias ID = Identifier<IPOSessionEntity>
        public let id: ID
        public let number: Int
        public let startsAt: Date
        public let endsAt: Date
        public let site: Site

        public init(id: ID, number: Int, startsAt: Date, endsAt: Date, site: Site) {
            self.id = id
            self.number = number
            self.startsAt = startsAt
            self.endsAt = endsAt
            self.site = site
        }
    }

    public let id: ID
    public var title: String
    public var description: String
    public var partnerProfessions: [String]
    public let kind: Kind
    public var capacity: Int
    public let enrolled: Int
    public let waitlisted: Int
    public var enrollmentOpensAt: Date
    public var enrollmentClosesAt: Date
    public var cancellationDeadline: Date
    public var countsTowardRequirement: Bool
    public var waitlistRule: WaitlistRule
    public var evaluationFormKey: String?
    public let evaluationID: Evaluation.ID?
    public var sessions: [Session]
    public let cancelledAt: Date?
    public let cancellationReason: String?
    public let version: Int
    public let createdAt: Date
    public let updatedAt: Date

    public init(
        id: ID,
        title: String,
        description: String,
        partnerProfessions: [String],
        kind: Kind,
        capacity: Int,
        enrolled: Int,
        waitlisted: Int,
        enrollmentOpensAt: Date,
        enrollmentClosesAt: Date,
        cancellationDeadline: Date,
        countsTowardRequirement: Bool,
        waitlistRule: WaitlistRule,
        evaluationFormKey: String?,
        evaluationID: Evaluation.ID?,
        sessions: [Session],
        cancelledAt: Date?,
        cancellationReason: String?,
        version: Int,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.partnerProfessions = partnerProfessions
        self.kind = kind
        self.capacity = capacity
        self.enrolled = enrolled
        self.waitlisted = waitlisted
        self.enrollmentOpensAt = enrollmentOpensAt
        self.enrollmentClosesAt = enrollmentClosesAt
        self.cancellationDeadline = cancellationDeadline
        self.countsTowardRequirement = countsTowardRequirement
        self.waitlistRule = waitlistRule
        self.evaluationFormKey = evaluationFormKey
        self.evaluationID = evaluationID
        self.sessions = sessions
        self.cancelledAt = cancelledAt
        self.cancellationReason = cancellationReason
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Covers the seat counts too: they are part of what a GET shows, and a capacity change
    /// decided on stale counts is what If-Match is there to stop.
    public var etag: String { "\"\(id)-\(version)-\(enrolled)-\(waitlisted)\"" }
    public var freeSeats: Int { max(0, capacity - enrolled) }
    public var startsAt: Date { sessions.first?.startsAt ?? enrollmentClosesAt }
    public var endsAt: Date { sessions.last?.endsAt ?? enrollmentClosesAt }

    public func status(at now: Date) -> Status {
        if cancelledAt != nil { return .cancelled }
        return now < enrollmentOpensAt ? .planned : now < enrollmentClosesAt ? .open : .closed
    }

    /// Whether a freed seat still goes to the waitlist: until the first session starts.
    func promotes(at now: Date) -> Bool { cancelledAt == nil && now < startsAt }

    var window: String {
        "\(RFC3339.string(from: enrollmentOpensAt)) to \(RFC3339.string(from: enrollmentClosesAt))"
    }
}

/// A session as a coordinator writes it: a day and a start and end time in Europe/Amsterdam.
public struct IPOSessionInput: Sendable, Equatable {
    public var date: String
    public var startTime: String
    public var endTime: String
    public var site: String

    public init(date: String, startTime: String, endTime: String, site: String) {
        self.date = date
        self.startTime = startTime
        self.endTime = endTime
        self.site = site
    }
}

/// What a coordinator sends to create an activity, before it is checked.
public struct IPOActivityDraft: Sendable {
    public var title: String
    public var description: String?
    public var partnerProfessions: [String]
    public var kind: IPOActivity.Kind
    public var sessions: [IPOSessionInput]
    public var capacity: Int
    public var enrollmentOpensAt: Date
    public var enrollmentClosesAt: Date
    public var cancellationDeadline: Date?
    public var countsTowardRequirement: Bool?
    public var waitlistRule: IPOActivity.WaitlistRule?
    public var evaluationFormKey: String?

    public init(
        title: String,
        description: String?,
        partnerProfessions: [String],
        kind: IPOActivity.Kind,
        sessions: [IPOSessionInput],
        capacity: Int,
        enrollmentOpensAt: Date,
        enrollmentClosesAt: Date,
        cancellationDeadline: Date?,
        countsTowardRequirement: Bool?,
        waitlistRule: IPOActivity.WaitlistRule?,
        evaluationFormKey: String?
    ) {
        self.title = title
        self.description = description
        self.partnerProfessions = partnerProfessions
        self.kind = kind
        self.sessions = sessions
        self.capacity = capacity
        self.enrollmentOpensAt = enrollmentOpensAt
        self.enrollmentClosesAt = enrollmentClosesAt
        self.cancellationDeadline = cancellationDeadline
        self.countsTowardRequirement = countsTowardRequirement
        self.waitlistRule = waitlistRule
        self.evaluationFormKey = evaluationFormKey
    }
}

/// The changes a coordinator may make; the kind stays. Lowering the capacity below the enrolled
/// count names who moves back to the waitlist.
public struct IPOActivityPatch: Sendable {
    public var title: String?
    public var description: String?
    public var partnerProfessions: [String]?
    public var sessions: [IPOSessionInput]?
    public var capacity: Int?
    public var moveToWaitlist: [PersonID]?
    public var enrollmentOpensAt: Date?
    public var enrollmentClosesAt: Date?
    public var cancellationDeadline: Date?
    public var countsTowardRequirement: Bool?
    public var waitlistRule: IPOActivity.WaitlistRule?
    /// `.some(nil)` clears the evaluation form.
    public var evaluationFormKey: String??

    public init() {}
}
