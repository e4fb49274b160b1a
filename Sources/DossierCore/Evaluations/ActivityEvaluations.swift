import Foundation

/// The evaluation of an IPO activity, assigned to its attendees when attendance of its last
/// session is recorded: anonymous, on the production version of the activity's form, open at
/// once for the usual period.
struct ActivityEvaluations: Sendable {
    private let evaluations = EvaluationRepository()
    private let forms = FormResponses()

    /// Creates the evaluation with `attendees` as respondents, or adds them to the one that exists.
    func assign(
        _ attendees: [PersonID],
        to existing: Evaluation.ID?,
        title: String,
        formKey: String,
        heldOn day: CalendarDate,
        by creator: PersonID?,
        now: Date,
        on connection: DatabaseConnection
    ) async throws -> Evaluation.ID? {
        if let existing {
            try await evaluations.add(assignments: attendees, to: existing, on: connection)
            return existing
        }
        guard !attendees.isEmpty else { return nil }
        let (version, isTest) = try await forms.version(
            of: formKey,
            purpose: .evaluation,
            requested: nil,
            keyPointer: "/evaluation_form_key",
            on: connection
        )
        guard !isTest, EvaluationTally.unsupported(version.definition).isEmpty else {
            throw DossierError.validation([
                FieldError("/evaluation_form_key", "has no production version an evaluation can use")
            ])
        }
        let evaluation = Evaluation(
            id: .generate(),
            title: String(title.prefix(200)),
            formKey: version.formKey,
            formVersion: version.version,
            subject: .init(kind: .ipoActivity, name: String(title.prefix(200)), on: day),
            opensAt: now,
            closesAt: now.addingTimeInterval(TimeInterval(Evaluation.defaultOpenDays * 86_400)),
            anonymous: true,
            minimumResponses: Evaluation.defaultMinimumResponses,
            targetRate: nil,
            responses: 0,
            version: 1,
            createdAt: now,
            updatedAt: now
        )
        try await evaluations.insert(evaluation, by: creator, on: connection)
        try await evaluations.insert(
            assignments: Array(Set(attendees)).sorted(),
            counters: EvaluationTally.counters(for: version.definition),
            of: evaluation.id,
            on: connection
        )
        return evaluation.id
    }
}
