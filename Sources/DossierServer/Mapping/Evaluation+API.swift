import DossierAPI
import DossierCore
import Foundation
import OpenAPIRuntime

extension Components.Schemas.Evaluation {
    init(_ evaluation: Evaluation, now: Date) {
        self.init(
            id: evaluation.id.description,
            title: evaluation.title,
            formKey: evaluation.formKey,
            formVersion: Int32(evaluation.formVersion),
            subject: .init(evaluation.subject),
            opensAt: evaluation.opensAt,
            closesAt: evaluation.closesAt,
            state: .init(evaluation.state(at: now)),
            anonymous: evaluation.anonymous,
            minResponses: Int32(evaluation.minimumResponses),
            targetRate: evaluation.targetRate.map(Int32.init),
            createdAt: evaluation.createdAt,
            updatedAt: evaluation.updatedAt
        )
    }
}

extension Components.Schemas.EvaluationSubject {
    init(_ subject: Evaluation.Subject) {
        self.init(
            kind: .init(rawValue: subject.kind.rawValue) ?? .module,
            name: subject.name,
            on: subject.on?.description,
            groupId: subject.groupID?.description,
            teacherIds: subject.teacherIDs.map(\.description),
            trainerId: subject.trainerID?.description
        )
    }

    /// The subject as Core takes it; a malformed id is named by its pointer (422).
    func core() throws(DossierError) -> Evaluation.Subject {
        var errors: [FieldError] = []
        func id<Entity>(_ text: String?, _ pointer: String) -> Identifier<Entity>? {
            guard let text else { return nil }
            guard let id = Identifier<Entity>(text) else {
                errors.append(FieldError(pointer, "must be a UUID"))
                return nil
            }
            return id
        }
        let on = self.on.flatMap { text in
            CalendarDate(text)
                ?? {
                    errors.append(FieldError("/subject/on", "must be a date YYYY-MM-DD"))
                    return nil
                }()
        }
        let teachers: [PersonID] = (teacherIds ?? []).enumerated().compactMap {
            id($0.element, "/subject/teacher_ids/\($0.offset)")
        }
        let subject = Evaluation.Subject(
            kind: Evaluation.SubjectKind(rawValue: kind.rawValue) ?? .module,
            name: name,
            on: on,
            groupID: id(groupId, "/subject/group_id"),
            teacherIDs: teachers,
            trainerID: id(trainerId, "/subject/trainer_id")
        )
        guard errors.isEmpty else { throw DossierError.validation(errors) }
        return subject
    }
}

extension Components.Schemas.EvaluationState {
    init(_ state: Evaluation.State) {
        self = .init(rawValue: state.rawValue) ?? .closed
    }
}

extension Components.Schemas.EvaluationRespondents {
    func core() throws(DossierError) -> EvaluationRespondents {
        switch kind {
        case .group:
            guard let text = groupId, let group = GroupID(text) else {
                throw DossierError.validation([FieldError("/respondents/group_id", "must be a group's UUID")])
            }
            return .group(group)
        case .people:
            var people: [PersonID] = []
            var errors: [FieldError] = []
            for (index, text) in (self.people ?? []).enumerated() {
                if let id = PersonID(text) {
                    people.append(id)
                } else {
                    errors.append(FieldError("/respondents/people/\(index)", "must be a UUID"))
                }
            }
            if self.people?.isEmpty ?? true { errors.append(FieldError("/respondents/people", "must list someone")) }
            if people.count > 5_000 { errors.append(FieldError("/respondents/people", "must list at most 5000")) }
            guard errors.isEmpty else { throw DossierError.validation(errors) }
            return .people(people)
        case .subject:
            return .subject
        }
    }
}

extension Components.Schemas.MyEvaluation {
    init(_ assignment: EvaluationService.Assignment, now: Date, followUps: [EvaluationFollowUp]? = nil) {
        let evaluation = assignment.evaluation
        self.init(
            evaluationId: evaluation.id.description,
            title: evaluation.title,
            subjectKind: .init(rawValue: evaluation.subject.kind.rawValue) ?? .module,
            formKey: evaluation.formKey,
            formVersion: Int32(evaluation.formVersion),
            opensAt: evaluation.opensAt,
            closesAt: evaluation.closesAt,
            state: .init(evaluation.state(at: now)),
            anonymous: evaluation.anonymous,
            answered: assignment.answeredOn != nil,
            answeredOn: assignment.answeredOn?.description,
            followUps: followUps?.map(Components.Schemas.EvaluationFollowUp.init)
        )
    }
}

extension Components.Schemas.EvaluationReport {
    init(_ report: EvaluationReport) {
        let questions: [Components.Schemas.EvaluationReportQuestion]? =
            switch report.result {
            case .suppressed: nil
            case .shown(let questions): questions.map(Components.Schemas.EvaluationReportQuestion.init)
            }
        self.init(
            evaluationId: report.evaluationID.description,
            suppressed: questions == nil,
            responses: Int32(clamping: report.responses),
            needed: Int32(clamping: report.needed),
            periods: questions == nil
                ? nil
                : report.periods.map {
                    .init(evaluationId: $0.evaluationID.description, opensAt: $0.opensAt, closesAt: $0.closesAt)
                },
            questions: questions,
            breakdown: report.breakdown?.map {
                .init(
                    key: $0.key,
                    responses: Int32(clamping: $0.responses),
                    questions: $0.questions.map(Components.Schemas.EvaluationReportQuestion.init)
                )
            }
        )
    }
}

extension Components.Schemas.EvaluationReportQuestion {
    init(_ question: EvaluationReport.Question) {
        self.init(
            id: question.id,
            kind: question.kind.rawValue,
            label: question.label,
            answered: Int32(clamping: question.answered),
            distribution: question.distribution.map(Components.Schemas.EvaluationDistribution.init),
            items: question.items.map {
                .init(value: $0.value, label: $0.label, distribution: .init($0.distribution))
            },
            texts: question.texts,
            textsWithheld: Int32(clamping: question.textsWithheld)
        )
    }
}

extension Components.Schemas.EvaluationDistribution {
    init(_ distribution: EvaluationReport.Distribution) {
        self.init(
            answered: Int32(clamping: distribution.answered),
            buckets: distribution.buckets.map {
                .init(value: $0.value, label: $0.label, count: Int32(clamping: $0.count))
            },
            mean: distribution.mean,
            median: distribution.median
        )
    }
}

extension EvaluationPatch {
    /// Decodes a JSON Merge Patch of an evaluation by hand (see `MergePatch`); only the target
    /// rate can be cleared with null.
    init(mergePatch container: OpenAPIRuntime.OpenAPIValueContainer) throws(DossierError) {
        self.init()
        for (key, value) in try MergePatch.object(container) {
            let pointer = "/\(key)"
            switch key {
            case "title": title = try MergePatch.required(value, pointer, as: String.self)
            case "opens_at": opensAt = try MergePatch.date(value, pointer)
            case "closes_at": closesAt = try MergePatch.date(value, pointer)
            case "anonymous": anonymous = try MergePatch.required(value, pointer, as: Bool.self)
            case "min_responses": minimumResponses = try MergePatch.required(value, pointer, as: Int.self)
            case "target_rate":
                switch try MergePatch.field(value, pointer, as: Int.self) {
                case .value(let rate): targetRate = .some(rate)
                case .null, .absent: targetRate = .some(nil)
                }
            case "id", "form_key", "form_version", "subject", "state", "created_at", "updated_at":
                throw DossierError.validation([FieldError(pointer, "is set by the server or fixed at creation")])
            default: throw MergePatch.unknown(pointer)
            }
        }
    }
}

extension Components.Schemas.EvaluationFollowUp {
    init(_ followUp: EvaluationFollowUp) {
        self.init(
            id: followUp.id.description,
            evaluationId: followUp.evaluationID.description,
            body: followUp.body,
            authorId: followUp.authorID?.description,
            publishedAt: followUp.publishedAt
        )
    }
}

extension Components.Schemas.ResponseRateOverview {
    init(_ overview: ResponseRateOverview) {
        func counts(_ counts: ResponseRateOverview.Counts) -> Components.Schemas.ResponseRateCounts {
            .init(
                invited: Int32(clamping: counts.invited),
                responded: counts.responded.map { Int32(clamping: $0) },
                rate: counts.rate
            )
        }
        self.init(
            groupBy: overview.grouping.rawValue,
            from: overview.from.description,
            to: overview.to.description,
            previousFrom: overview.previousFrom.description,
            items: overview.rows.map {
                .init(
                    key: $0.key,
                    label: $0.label,
                    current: counts($0.current),
                    previous: $0.previous.map(counts),
                    change: $0.change
                )
            }
        )
    }
}
