import Foundation

public enum EvaluationEntity {}

/// An evaluation of one subject (an education moment, a module, an internship or a trainer) on a
/// production form version of purpose `evaluation`, answered by the people assigned to it
/// between `opensAt` and `closesAt`. Results show only from `minimumResponses` responses on.
public struct Evaluation: Sendable, Equatable {
    public typealias ID = Identifier<EvaluationEntity>

    public enum SubjectKind: String, Sendable, CaseIterable {
        case educationMoment = "education_moment"
        case module
        case internship
        case trainer
        /// An IPO activity; created by the IPO capability when attendance of its last session is recorded.
        case ipoActivity = "ipo_activity"
    }

    public struct Subject: Sendable, Equatable {
        public var kind: SubjectKind
        /// The module's, the internship placement's or the training practice's name.
        public var name: String?
        /// The day of an education moment.
        public var on: CalendarDate?
        public var groupID: GroupID?
        public var teacherIDs: [PersonID]
        public var trainerID: PersonID?

        public init(
            kind: SubjectKind,
            name: String? = nil,
            on: CalendarDate? = nil,
            groupID: GroupID? = nil,
            teacherIDs: [PersonID] = [],
            trainerID: PersonID? = nil
        ) {
            self.kind = kind
            self.name = name
            self.on = on
            self.groupID = groupID
            self.teacherIDs = teacherIDs
            self.trainerID = trainerID
        }
    }

    public enum State: String, Sendable, CaseIterable {
        case upcoming, open, closed
    }

    public static let defaultMinimumResponses = 5
    /// Below three, a result narrows a respondent's answer down to one of two people.
    public static let smallestMinimumResponses = 3
    public static let defaultOpenDays = 14

    public let id: ID
    public var title: String
    public let formKey: String
    public let formVersion: Int
    public let subject: Subject
    public var opensAt: Date
    public var closesAt: Date
    public var anonymous: Bool
    public var minimumResponses: Int
    /// The response rate (percent) below which reminders still go out, on top of the threshold.
    public var targetRate: Int?
    /// The responses the report counts: folded ones when anonymous.
    public let responses: Int
    public let version: Int
    public let createdAt: Date
    public let updatedAt: Date

    public init(
        id: ID,
        title: String,
        formKey: String,
        formVersion: Int,
        subject: Subject,
        opensAt: Date,
        closesAt: Date,
        anonymous: Bool,
        minimumResponses: Int,
        targetRate: Int?,
        responses: Int,
        version: Int,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.title = title
        self.formKey = formKey
        self.formVersion = formVersion
        self.subject = subject
        self.opensAt = opensAt
        self.closesAt = closesAt
        self.anonymous = anonymous
        self.minimumResponses = minimumResponses
        self.targetRate = targetRate
        self.responses = responses
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public func state(at now: Date) -> State {
        now < opensAt ? .upcoming : now < closesAt ? .open : .closed
    }

    public var etag: String { "\"\(id)-\(version)\"" }

    /// Refuses a response outside the window (409), naming it.
    func requireOpen(at now: Date) throws(DossierError) {
        let window = "\(RFC3339.string(from: opensAt)) to \(RFC3339.string(from: closesAt))"
        switch state(at: now) {
        case .open: return
        case .upcoming:
            throw DossierError(
                .conflict,
                slug: .evaluationNotOpen,
                detail: "This evaluation is not open yet; it takes responses from \(window)."
            )
        case .closed:
            throw DossierError(
                .conflict,
                slug: .evaluationNotOpen,
                detail: "This evaluation has closed; it took responses from \(window)."
            )
        }
    }
}

/// Who is asked to answer: a group's trainees, a list of people, or the subject's trainees
/// (the trainees of the subject's group, or those the evaluated trainer supervises today).
public enum EvaluationRespondents: Sendable, Equatable {
    case group(GroupID)
    case people([PersonID])
    case subject
}

/// What a coordinator sends to create an evaluation, before it is checked.
public struct EvaluationDraft: Sendable {
    public var title: String
    public var formKey: String
    public var subject: Evaluation.Subject
    public var respondents: EvaluationRespondents
    public var opensAt: Date?
    public var closesAt: Date?
    public var anonymous: Bool
    public var minimumResponses: Int?
    public var targetRate: Int?

    public init(
        title: String,
        formKey: String,
        subject: Evaluation.Subject,
        respondents: EvaluationRespondents,
        opensAt: Date?,
        closesAt: Date?,
        anonymous: Bool,
        minimumResponses: Int?,
        targetRate: Int?
    ) {
        self.title = title
        self.formKey = formKey
        self.subject = subject
        self.respondents = respondents
        self.opensAt = opensAt
        self.closesAt = closesAt
        self.anonymous = anonymous
        self.minimumResponses = minimumResponses
        self.targetRate = targetRate
    }
}

/// The changes a coordinator may make after creation; the form and subject stay.
public struct EvaluationPatch: Sendable {
    public var title: String?
    public var opensAt: Date?
    public var closesAt: Date?
    public var anonymous: Bool?
    public var minimumResponses: Int?
    /// `.some(nil)` clears the target rate.
    public var targetRate: Int??

    public init() {}
}

public enum EvaluationRules {
    /// Every broken rule of the fields that need no database, with its pointer.
    static func check(
        title: String,
        subject: Evaluation.Subject,
        opensAt: Date,
        closesAt: Date,
        minimumResponses: Int,
        targetRate: Int?
    ) -> [FieldError] {
        var errors: [FieldError] = []
        let trimmed = title.trimmingCharacters(in: .whitespacesAndNewlines)
        if !(1...200).contains(trimmed.count) || trimmed.unicodeScalars.contains(where: { $0.value < 0x20 }) {
            errors.append(FieldError("/title", "must be 1-200 characters without control characters"))
        }
        if let name = subject.name, !(1...200).contains(name.count) {
            errors.append(FieldError("/subject/name", "must be 1-200 characters"))
        }
        switch subject.kind {
        case .educationMoment where subject.on == nil:
            errors.append(FieldError("/subject/on", "is required for an education moment"))
        case .trainer where subject.trainerID == nil:
            errors.append(FieldError("/subject/trainer_id", "is required for a trainer evaluation"))
        case .module where subject.name == nil, .internship where subject.name == nil,
            .ipoActivity where subject.name == nil:
            errors.append(FieldError("/subject/name", "is required for a \(subject.kind.rawValue)"))
        default:
            break
        }
        if subject.teacherIDs.count > 50 { errors.append(FieldError("/subject/teacher_ids", "must list at most 50")) }
        if closesAt <= opensAt { errors.append(FieldError("/closes_at", "must be after opens_at")) }
        if !(Evaluation.smallestMinimumResponses...1000).contains(minimumResponses) {
            errors.append(
                FieldError("/min_responses", "must be from \(Evaluation.smallestMinimumResponses) to 1000")
            )
        }
        if let targetRate, !(1...100).contains(targetRate) {
            errors.append(FieldError("/target_rate", "must be a percentage from 1 to 100"))
        }
        return errors
    }

    /// An education moment opens when it ends (the end of its day in the institute's zone);
    /// anything else opens now. Either closes `defaultOpenDays` later.
    static func window(for draft: EvaluationDraft, now: Date) -> (opens: Date, closes: Date) {
        let opens =
            draft.opensAt ?? draft.subject.on.map { $0.adding(days: 1).start(in: .institute) } ?? now
        return (opens, draft.closesAt ?? opens.addingTimeInterval(TimeInterval(Evaluation.defaultOpenDays * 86_400)))
    }
}
