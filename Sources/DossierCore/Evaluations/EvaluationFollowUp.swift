import Foundation

public enum EvaluationFollowUpEntity {}

/// "What we changed": published on an evaluation by a coordinator or a teacher of its subject,
/// read by its respondents and invitees.
public struct EvaluationFollowUp: Sendable, Equatable {
    public typealias ID = Identifier<EvaluationFollowUpEntity>

    public let id: ID
    public let evaluationID: Evaluation.ID
    public let body: String
    public let authorID: PersonID?
    public let publishedAt: Date

    static func validate(_ body: String) -> [FieldError] {
        let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines)
        return (1...5000).contains(trimmed.count) ? [] : [FieldError("/body", "must be 1-5000 characters")]
    }
}

extension EvaluationService {
    public func publishFollowUp(on id: Evaluation.ID, body: String, caller: Caller) async throws -> EvaluationFollowUp {
        let errors = EvaluationFollowUp.validate(body)
        let now = clock.now()
        return try await database.transaction { connection in
            _ = try await readable(id, for: .createEvaluationFollowUp, caller, on: connection)
            guard errors.isEmpty else { throw DossierError.validation(errors) }
            let followUp = EvaluationFollowUp(
                id: .generate(),
                evaluationID: id,
                body: body.trimmingCharacters(in: .whitespacesAndNewlines),
                authorID: caller.personID,
                publishedAt: now
            )
            try await EvaluationFollowUpRepository().insert(followUp, on: connection)
            return followUp
        }
    }

    /// One of the caller's assignments with the evaluation's follow-ups; 404 when not assigned.
    public func assignment(_ id: Evaluation.ID, caller: Caller) async throws -> (Assignment, [EvaluationFollowUp]) {
        _ = try AccessPolicy.decide(.getMyEvaluation, caller: caller).rule(or: "evaluation")
        guard let person = caller.personID else { throw DossierError.notFound("evaluation") }
        return try await database.read { connection in
            let assignment = try await evaluations.assignment(id, person: person, on: connection)
            guard assignment.assigned, let evaluation = try await evaluations.find(id, on: connection) else {
                throw DossierError.notFound("evaluation")
            }
            return (
                Assignment(evaluation: evaluation, answeredOn: assignment.answeredOn.flatMap(CalendarDate.init)),
                try await EvaluationFollowUpRepository().list(id, on: connection)
            )
        }
    }
}
