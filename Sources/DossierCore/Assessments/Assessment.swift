import Foundation

/// A trainee assessed on an instrument (a form of purpose assessment), by a supervisor or an
/// invited feedback giver, as filled in on one form version.
public struct Assessment: Sendable, Equatable {
    public enum Entity {}
    public typealias ID = Identifier<Entity>

    public struct Assessor: Sendable, Equatable {
        public let personID: PersonID?
        public let invitationID: AssessmentInvitation.ID?
        public let name: String
        /// The supervision kind, or `feedback_giver` for an invited assessor.
        public let role: String

        public init(personID: PersonID?, invitationID: AssessmentInvitation.ID?, name: String, role: String) {
            self.personID = personID
            self.invitationID = invitationID
            self.name = name
            self.role = role
        }
    }

    public let id: ID
    public let portfolioID: Portfolio.ID
    public let instrument: String
    public let formVersion: Int
    public let isTest: Bool
    public let assessor: Assessor
    public let answers: [String: JSONValue]
    public let narrative: String
    public let assessedOn: CalendarDate
    public let createdAt: Date

    public init(
        id: ID,
        portfolioID: Portfolio.ID,
        instrument: String,
        formVersion: Int,
        isTest: Bool,
        assessor: Assessor,
        answers: [String: JSONValue],
        narrative: String,
        assessedOn: CalendarDate,
        createdAt: Date
    ) {
        self.id = id
        self.portfolioID = portfolioID
        self.instrument = instrument
        self.formVersion = formVersion
        self.isTest = isTest
        self.assessor = assessor
        self.answers = answers
        self.narrative = narrative
        self.assessedOn = assessedOn
        self.createdAt = createdAt
    }

    public static let maximumNarrative = 20_000

    /// What a filled-in assessment must satisfy apart from its answers.
    public static func validate(narrative: String, assessedOn text: String, today: CalendarDate) -> [FieldError] {
        var errors: [FieldError] = []
        if narrative.count > maximumNarrative {
            errors.append(FieldError("/narrative", "must be at most \(maximumNarrative) characters"))
        }
        if let date = CalendarDate(text) {
            if date > today { errors.append(FieldError("/assessed_on", "must not be in the future")) }
        } else {
            errors.append(FieldError("/assessed_on", "must be a date, YYYY-MM-DD"))
        }
        return errors
    }
}

/// A trainee's invitation to one feedback giver for one assessment: a link with a random token,
/// stored hashed, good for one submission on one instrument until it expires.
public struct AssessmentInvitation: Sendable, Equatable {
    public enum Entity {}
    public typealias ID = Identifier<Entity>

    public static let lifetime: TimeInterval = 14 * 24 * 3600
    public static let tokenPrefix = "inv_"

    public enum Status: String, Sendable {
        case open, used, expired
    }

    public let id: ID
    public let portfolioID: Portfolio.ID
    public let instrument: String
    public let inviteeName: String
    public let expiresAt: Date
    public let usedAt: Date?
    public let createdAt: Date

    public init(
        id: ID,
        portfolioID: Portfolio.ID,
        instrument: String,
        inviteeName: String,
        expiresAt: Date,
        usedAt: Date?,
        createdAt: Date
    ) {
        self.id = id
        self.portfolioID = portfolioID
        self.instrument = instrument
        self.inviteeName = inviteeName
        self.expiresAt = expiresAt
        self.usedAt = usedAt
        self.createdAt = createdAt
    }

    public func status(at now: Date) -> Status {
        if usedAt != nil { return .used }
        return now >= expiresAt ? .expired : .open
    }

    /// Whether `text` has the shape of an invitation token, checked before any lookup.
    public static func isWellFormed(_ text: String) -> Bool {
        TokenSecret.isWellFormed(text, prefix: tokenPrefix)
    }
}
