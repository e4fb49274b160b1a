import Foundation

/// A progress review (the triangle's meeting), a progress advice or a progress decision, on
/// its own versioned form. Signed, it never changes; a correction is an amendment pointing at it.
public struct ProgressRecord: Sendable, Equatable {
    public enum Entity {}
    public typealias ID = Identifier<Entity>

    public enum Kind: String, Sendable, CaseIterable {
        case review, advice, decision

        /// The form this kind is filled in on; the institute replaces its questions by adding versions.
        public var formKey: String {
            switch self {
            case .review: "progress-review"
            case .advice: "progress-advice"
            case .decision: "progress-decision"
            }
        }

        public var purpose: Form.Purpose {
            switch self {
            case .review: .progressReview
            case .advice: .progressAdvice
            case .decision: .progressDecision
            }
        }
    }

    public var id: ID
    public var portfolioID: Portfolio.ID
    public var kind: Kind
    public var formKey: String
    public var formVersion: Int
    public var isTest: Bool
    public var heldOn: CalendarDate
    public var answers: [String: JSONValue]
    public var summary: String
    public var authorID: PersonID
    /// The policy rule that let the author write it (`supervisor:trainer`, `coordinator`).
    public var authorRule: String
    public var amends: ID?
    public var amendReason: String?
    public var signedAt: Date?
    public var signedBy: PersonID?
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: ID,
        portfolioID: Portfolio.ID,
        kind: Kind,
        formKey: String,
        formVersion: Int,
        isTest: Bool,
        heldOn: CalendarDate,
        answers: [String: JSONValue],
        summary: String,
        authorID: PersonID,
        authorRule: String,
        amends: ID? = nil,
        amendReason: String? = nil,
        signedAt: Date? = nil,
        signedBy: PersonID? = nil,
        version: Int = 1,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.portfolioID = portfolioID
        self.kind = kind
        self.formKey = formKey
        self.formVersion = formVersion
        self.isTest = isTest
        self.heldOn = heldOn
        self.answers = answers
        self.summary = summary
        self.authorID = authorID
        self.authorRule = authorRule
        self.amends = amends
        self.amendReason = amendReason
        self.signedAt = signedAt
        self.signedBy = signedBy
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var etag: String { "\"\(id)-\(version)\"" }
    public var isSigned: Bool { signedAt != nil }

    public static let maximumSummary = 20_000

    /// The rules of `held_on` and `summary`, every broken one reported.
    public static func validate(heldOn text: String, summary: String, today: CalendarDate) -> [FieldError] {
        var errors: [FieldError] = []
        if let date = CalendarDate(text) {
            if date > today { errors.append(FieldError("/held_on", "must not be in the future")) }
        } else {
            errors.append(FieldError("/held_on", "must be a date, YYYY-MM-DD"))
        }
        if summary.count > maximumSummary {
            errors.append(FieldError("/summary", "must be at most \(maximumSummary) characters"))
        }
        return errors
    }

    /// 409 for any change to a signed record.
    public func requireUnsigned() throws(DossierError) {
        guard !isSigned else {
            throw DossierError(
                .conflict,
                slug: .progressRecordSigned,
                detail: "This \(kind.rawValue) is signed and never changes; correct it with an amendment."
            )
        }
    }
}
