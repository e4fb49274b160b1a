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

    public let id: ID
    public let portfolioID: Portfolio.ID
    public let kind: Kind
    public let formKey: String
    public let formVersion: Int
    public let isTest: Bool
    public let heldOn: CalendarDate
    public let answers: [String: JSONValue]
    public let summary: String
    public let authorID: PersonID
    /// The policy rule that let the author write it (`supervisor:trainer`, `coordinator`).
    public let authorRule: String
    public let amends: ID?
    public let amendReason: String?
    public let signedAt: Date?
    public let signedBy: PersonID?
    public let version: Int
    public let createdAt: Date
    public let updatedAt: Date

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
                slug: "progress-record-signed",
                detail: "This \(kind.rawValue) is signed and never changes; correct it with an amendment."
            )
        }
    }
}

/// When progress reviews are due: every three months from the start date until the end of
/// training (domain rule 2), and which due dates the signed reviews cover.
public enum ProgressReviewSchedule {
    public static let intervalMonths = 3

    public enum Status: String, Sendable {
        case held, overdue, upcoming
    }

    public struct Item: Sendable, Equatable {
        public let number: Int
        public let dueOn: CalendarDate
        public let status: Status
        public let reviewID: ProgressRecord.ID?
    }

    /// The due dates from `start` (exclusive) to `end` (inclusive), each covered by the signed
    /// review of the same rank in date order: the n-th review held covers the n-th due date.
    public static func items(
        start: CalendarDate,
        end: CalendarDate,
        held: [(id: ProgressRecord.ID, heldOn: CalendarDate)],
        today: CalendarDate
    ) -> [Item] {
        let reviews = held.sorted { ($0.heldOn, $0.id) < ($1.heldOn, $1.id) }
        var items: [Item] = []
        var number = 1
        while true {
            let due = start.adding(months: intervalMonths * number)
            guard due <= end else { break }
            let review = reviews.indices.contains(number - 1) ? reviews[number - 1] : nil
            let status: Status = review != nil ? .held : due < today ? .overdue : .upcoming
            items.append(Item(number: number, dueOn: due, status: status, reviewID: review?.id))
            number += 1
        }
        return items
    }

    /// The oldest due date not covered by a review, if it has passed.
    public static func firstOverdue(
        start: CalendarDate,
        end: CalendarDate,
        held: [(id: ProgressRecord.ID, heldOn: CalendarDate)],
        today: CalendarDate
    ) -> CalendarDate? {
        items(start: start, end: end, held: held, today: today).first { $0.status == .overdue }?.dueOn
    }
}
