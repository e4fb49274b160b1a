import Foundation

/// Evaluations: coordinators create and change them; teachers of the subject (and the evaluated
/// trainer) read them and their reports; the people assigned answer them once while they are open.
public struct EvaluationService: Sendable {
    let database: Database
    let clock: any WallClock
    private let seal: EvaluationSeal
    let evaluations = EvaluationRepository()
    private let forms = FormResponses()
    let formVersions = FormRepository()
    private let people = PersonRepository()
    let accessLog = AccessLogRepository()

    public init(database: Database, clock: any WallClock, secretKey: SecretKey) {
        self.database = database
        self.clock = clock
        self.seal = EvaluationSeal(secretKey: secretKey)
    }

    public func create(_ draft: EvaluationDraft, caller: Caller) async throws -> Evaluation {
        _ = try AccessPolicy.decide(.createEvaluation, caller: caller).rule(or: "evaluation")
        let now = clock.now()
        let (opens, closes) = EvaluationRules.window(for: draft, now: now)
        let minimum = draft.minimumResponses ?? Evaluation.defaultMinimumResponses
        var subject = draft.subject
        subject.name = subject.name?.trimmingCharacters(in: .whitespacesAndNewlines)
        subject.teacherIDs = Array(Set(subject.teacherIDs)).sorted()
        var errors = EvaluationRules.check(
            title: draft.title,
            subject: subject,
            opensAt: opens,
            closesAt: closes,
            minimumResponses: minimum,
            targetRate: draft.targetRate
        )
        return try await database.transaction { connection in
            let version: FormVersion
            do {
                let (found, isTest) = try await forms.version(
                    of: draft.formKey,
                    purpose: .evaluation,
                    requested: nil,
                    keyPointer: "/form_key",
                    on: connection
                )
                if isTest { errors.append(FieldError("/form_key", "has no version in production")) }
                errors += EvaluationTally.unsupported(found.definition)
                version = found
            } catch let error as DossierError where error.kind == .validation {
                throw DossierError.validation(errors + error.fieldErrors)
            }
            errors += try await checkPeople(subject, on: connection)
            guard errors.isEmpty else { throw DossierError.validation(errors) }
            let respondents = try await evaluations.respondents(
                draft.respondents,
                subject: subject,
                today: CalendarDate(now),
                on: connection
            )
            if case .people(let listed) = draft.respondents, Set(listed).count != respondents.count {
                throw DossierError.validation([FieldError("/respondents/people", "names someone who does not exist")])
            }
            guard !respondents.isEmpty else {
                throw DossierError.validation([FieldError("/respondents", "names nobody to answer")])
            }
            let evaluation = Evaluation(
                id: .generate(),
                title: draft.title.trimmingCharacters(in: .whitespacesAndNewlines),
                formKey: version.formKey,
                formVersion: version.version,
                subject: subject,
                opensAt: opens,
                closesAt: closes,
                anonymous: draft.anonymous,
                minimumResponses: minimum,
                targetRate: draft.targetRate,
                responses: 0,
                version: 1,
                createdAt: now,
                updatedAt: now
            )
            try await evaluations.insert(evaluation, by: caller.personID, on: connection)
            try await evaluations.insert(
                assignments: respondents,
                counters: EvaluationTally.counters(for: version.definition),
                of: evaluation.id,
                on: connection
            )
            return evaluation
        }
    }

    /// The subject's people exist and hold the role the subject gives them.
    private func checkPeople(
        _ subject: Evaluation.Subject,
        on connection: DatabaseConnection
    ) async throws
        -> [FieldError]
    {
        var errors: [FieldError] = []
        for (index, id) in subject.teacherIDs.enumerated() {
            guard let person = try await people.find(id, on: connection), person.roles.contains(.teacher) else {
                errors.append(FieldError("/subject/teacher_ids/\(index)", "is not a teacher"))
                continue
            }
        }
        if let trainer = subject.trainerID {
            let person = try await people.find(trainer, on: connection)
            if person.map({ $0.roles.contains(.trainer) || $0.roles.contains(.standInTrainer) }) != true {
                errors.append(FieldError("/subject/trainer_id", "is not a trainer"))
            }
        }
        if let group = subject.groupID,
            try await GroupRepository().list(page: PageRequest(limit: 1, after: nil), id: group, on: connection).isEmpty
        {
            errors.append(FieldError("/subject/group_id", "is not a group"))
        }
        return errors
    }

    public func list(
        _ filter: EvaluationRepository.Filter,
        page: PageRequest,
        caller: Caller
    ) async throws -> Page<Evaluation> {
        let rule = try AccessPolicy.decide(.listEvaluations, caller: caller).rule(or: "evaluation")
        let now = clock.now()
        let fetched = try await database.read { connection in
            try await evaluations.list(
                filter,
                visibleTo: rule == "coordinator" ? nil : caller.personID,
                now: now,
                page: page,
                on: connection
            )
        }
        return Page(fetched: fetched, limit: page.limit) { $0.id.uuid }
    }

    public func get(_ id: Evaluation.ID, caller: Caller) async throws -> Evaluation {
        try await database.read { connection in
            let (evaluation, _) = try await readable(id, for: .getEvaluation, caller, on: connection)
            return evaluation
        }
    }

    /// Applies the coordinator's changes if `ifMatch` is the current ETag. An evaluation with a
    /// response stays anonymous; the database refuses the switch too.
    public func update(
        _ id: Evaluation.ID,
        patch: EvaluationPatch,
        ifMatch: String?,
        caller: Caller
    ) async throws -> Evaluation {
        _ = try AccessPolicy.decide(.updateEvaluation, caller: caller).rule(or: "evaluation")
        let now = clock.now()
        return try await database.transaction { connection in
            guard var evaluation = try await evaluations.find(id, on: connection) else {
                throw DossierError.notFound("evaluation")
            }
            try Preconditions.check(ifMatch: ifMatch, etag: evaluation.etag)
            evaluation.title = patch.title?.trimmingCharacters(in: .whitespacesAndNewlines) ?? evaluation.title
            evaluation.opensAt = patch.opensAt ?? evaluation.opensAt
            evaluation.closesAt = patch.closesAt ?? evaluation.closesAt
            evaluation.minimumResponses = patch.minimumResponses ?? evaluation.minimumResponses
            evaluation.targetRate = patch.targetRate ?? evaluation.targetRate
            let errors = EvaluationRules.check(
                title: evaluation.title,
                subject: evaluation.subject,
                opensAt: evaluation.opensAt,
                closesAt: evaluation.closesAt,
                minimumResponses: evaluation.minimumResponses,
                targetRate: evaluation.targetRate
            )
            guard errors.isEmpty else { throw DossierError.validation(errors) }
            if let anonymous = patch.anonymous, anonymous != evaluation.anonymous {
                if !anonymous, try await evaluations.hasAnswers(id, on: connection) {
                    throw DossierError(
                        .conflict,
                        slug: .evaluationStaysAnonymous,
                        detail: "This evaluation has responses given anonymously; it stays anonymous.",
                        fieldErrors: [FieldError("/anonymous", "cannot become false once answered")]
                    )
                }
                evaluation.anonymous = anonymous
            }
            guard try await evaluations.update(evaluation, expectedVersion: evaluation.version, at: now, on: connection)
            else { throw DossierError.notFound("evaluation") }
            guard let updated = try await evaluations.find(id, on: connection) else {
                throw DossierError.notFound("evaluation")
            }
            return updated
        }
    }

    /// An evaluation the caller may read under `operation`, with the rule that allowed it.
    // Not inlined: inlined into `get`, the Swift 6.3 release build's LLVM coroutine splitting
    // crashed (signal 11 in emitSetAndGetSwiftErrorValueAround).
    @inline(never)
    func readable(
        _ id: Evaluation.ID,
        for operation: APIOperation,
        _ caller: Caller,
        on connection: DatabaseConnection
    ) async throws -> (Evaluation, rule: String) {
        _ = try AccessPolicy.decide(operation, caller: caller, relation: .teachesSubject).rule(or: "evaluation")
        guard let evaluation = try await evaluations.find(id, on: connection) else {
            throw DossierError.notFound("evaluation")
        }
        let rule = try AccessPolicy.decide(
            operation,
            caller: caller,
            relation: Self.relation(of: caller, to: evaluation)
        )
        .rule(or: "evaluation")
        return (evaluation, rule)
    }

    static func relation(of caller: Caller, to evaluation: Evaluation) -> Relation {
        guard let person = caller.personID else { return .unrelated }
        return evaluation.subject.teacherIDs.contains(person) || evaluation.subject.trainerID == person
            ? .teachesSubject : .unrelated
    }

    // MARK: - Answering

    /// What the caller was asked to answer, newest first: the day they answered, never what.
    public struct Assignment: Sendable {
        public let evaluation: Evaluation
        public let answeredOn: CalendarDate?
    }

    public func assignments(page: PageRequest, caller: Caller) async throws -> Page<Assignment> {
        _ = try AccessPolicy.decide(.listMyEvaluations, caller: caller).rule(or: "evaluation")
        guard let person = caller.personID else { throw DossierError.forbidden("Only a person is asked to answer.") }
        let fetched = try await database.read { connection in
            try await evaluations.assignments(of: person, page: page, on: connection)
        }
        return Page(fetched: fetched.map { Assignment(evaluation: $0.0, answeredOn: $0.answeredOn) }, limit: page.limit)
        {
            $0.evaluation.id.uuid
        }
    }

    /// The caller's one response. For an anonymous evaluation the answers go sealed into the
    /// inbox and the assignment records only the day; the fold counts them later.
    public func respond(
        to id: Evaluation.ID,
        answers: [String: JSONValue],
        showTextIfAlone: Bool,
        caller: Caller
    ) async throws -> Assignment {
        _ = try AccessPolicy.decide(.submitEvaluationResponse, caller: caller).rule(or: "evaluation")
        guard let person = caller.personID else { throw DossierError.notFound("evaluation") }
        let now = clock.now()
        return try await database.transaction { connection in
            guard let evaluation = try await evaluations.find(id, on: connection),
                try await evaluations.assignment(id, person: person, on: connection).assigned
            else { throw DossierError.notFound("evaluation") }
            return try await answer(evaluation, as: person, answers, showTextIfAlone, now: now, on: connection)
        }
    }

    /// Records `person`'s response in the caller's transaction: the window, the answers against
    /// the version, the assignment marked once, then the sealed or named answers.
    func answer(
        _ evaluation: Evaluation,
        as person: PersonID,
        _ answers: [String: JSONValue],
        _ showTextIfAlone: Bool,
        now: Date,
        on connection: DatabaseConnection
    ) async throws -> Assignment {
        let today = CalendarDate(now)
        try evaluation.requireOpen(at: now)
        guard let version = try await formVersions.version(evaluation.formKey, evaluation.formVersion, on: connection)
        else { throw DossierError.notFound("evaluation") }
        try forms.check(answers, against: version)
        guard try await evaluations.markAnswered(evaluation.id, person: person, on: today, connection: connection)
        else {
            throw Self.answered
        }
        if evaluation.anonymous {
            let sealed = try seal.seal(.init(answers: answers, showTextIfAlone: showTextIfAlone), for: evaluation.id)
            try await evaluations.insert(sealed: sealed, into: evaluation.id, on: connection)
        } else {
            try await evaluations.insertNamed(answers, of: person, to: evaluation.id, on: today, connection: connection)
        }
        return Assignment(evaluation: evaluation, answeredOn: today)
    }

    static let answered = DossierError(
        .conflict,
        slug: .evaluationAnswered,
        detail: "You have answered this evaluation; each person answers once."
    )
}
