import Foundation

/// Reports and response rates of one evaluation.
extension EvaluationService {
    /// The report, suppressed below the threshold. A trainer has one or two trainees a year, so a
    /// trainer evaluation below its threshold pools that trainer's earlier ones on the same form
    /// version (newest first) until the threshold is met, and names the periods it covers.
    /// Reading a named evaluation's answers writes an access-log row per respondent, as any read
    /// of a person's data does.
    ///
    /// A breakdown by site shows the same questions per respondent's site, for a named evaluation
    /// only (anonymous answers are stored without their respondent's site) and only when every
    /// site has the threshold: with two sites, the whole minus a shown site is the other one.
    public func report(
        _ id: Evaluation.ID,
        breakdown: EvaluationReport.Breakdown? = nil,
        caller: Caller
    ) async throws -> EvaluationReport {
        let now = clock.now()
        return try await database.transaction { connection in
            let (evaluation, rule) = try await readable(id, for: .getEvaluationReport, caller, on: connection)
            guard
                let version = try await formVersions.version(evaluation.formKey, evaluation.formVersion, on: connection)
            else { throw DossierError.notFound("evaluation") }
            var periods = [evaluation]
            var responses = evaluation.responses
            if evaluation.subject.kind == .trainer, responses < evaluation.minimumResponses,
                let trainer = evaluation.subject.trainerID
            {
                for earlier in try await evaluations.earlierTrainerEvaluations(
                    like: evaluation,
                    of: trainer,
                    on: connection
                )
                where responses < evaluation.minimumResponses {
                    periods.append(earlier)
                    responses += earlier.responses
                }
            }
            var totals = EvaluationTally.Totals()
            var named: [(person: PersonID, evaluation: Evaluation.ID)] = []
            var bySite: [String: [[String: JSONValue]]] = [:]
            for period in periods {
                if period.anonymous {
                    totals.counts.merge(try await evaluations.counts(period.id, on: connection), uniquingKeysWith: +)
                    totals.texts += try await evaluations.texts(period.id, on: connection)
                    continue
                }
                for response in try await evaluations.namedAnswers(period.id, on: connection) {
                    totals.add(response.answers, on: version.definition, showTextIfAlone: false)
                    named.append((response.person, period.id))
                    bySite[response.site ?? "none", default: []].append(response.answers)
                }
            }
            var report = EvaluationReport.make(
                evaluation,
                definition: version.definition,
                responses: responses,
                periods: periods,
                counts: totals.counts,
                texts: totals.texts
            )
            if breakdown != nil, case .shown = report.result {
                report.breakdown = try Self.cells(bySite, of: evaluation, periods: periods, on: version.definition)
            }
            if case .shown = report.result, !named.isEmpty {
                try await accessLog.append(
                    AccessLogEntry.entries(
                        .read,
                        by: caller,
                        subjects: named.map { ($0.person, $0.evaluation.uuid) },
                        resourceType: "evaluation_response",
                        rule: rule,
                        at: now
                    ),
                    on: connection
                )
            }
            return report
        }
    }

    /// The report per site, refused rather than showing a site below the threshold.
    private static func cells(
        _ bySite: [String: [[String: JSONValue]]],
        of evaluation: Evaluation,
        periods: [Evaluation],
        on definition: FormDefinition
    ) throws(DossierError) -> [EvaluationReport.Cell] {
        let pointer = [FieldError("#/query/breakdown", "is not available for this evaluation")]
        guard !evaluation.anonymous, periods.count == 1 else {
            throw DossierError(
                .validation,
                slug: .breakdownUnavailable,
                detail: evaluation.anonymous
                    ? "Anonymous answers are stored without their respondent's site, so they have no breakdown."
                    : "A pooled trainer report has no breakdown: its periods are already its smallest cells.",
                fieldErrors: pointer
            )
        }
        guard bySite.values.allSatisfy({ $0.count >= evaluation.minimumResponses }) else {
            throw DossierError(
                .validation,
                slug: .breakdownBelowThreshold,
                detail: "A site has fewer than \(evaluation.minimumResponses) responses; the breakdown would show it "
                    + "(or, with the whole, give it away). Ask for the report without a breakdown.",
                fieldErrors: [FieldError("#/query/breakdown", "would show a cell below the threshold")]
            )
        }
        return bySite.keys.sorted().map { site in
            var totals = EvaluationTally.Totals()
            for answers in bySite[site] ?? [] { totals.add(answers, on: definition, showTextIfAlone: false) }
            return EvaluationReport.Cell(
                key: site,
                responses: bySite[site]?.count ?? 0,
                questions: EvaluationReport.questions(definition, counts: totals.counts, texts: totals.texts)
            )
        }
    }

    public struct ResponseRate: Sendable, Equatable {
        public let evaluationID: Evaluation.ID
        public let invited: Int
        public let responded: Int
        /// Percent, one decimal; nil when nobody was invited.
        public var rate: Double? { ResponseRateOverview.percent(responded, of: invited) }
    }

    public func responseRate(_ id: Evaluation.ID, caller: Caller) async throws -> ResponseRate {
        try await database.read { connection in
            let (evaluation, _) = try await readable(id, for: .getEvaluationResponseRate, caller, on: connection)
            let (invited, responded) = try await evaluations.rate(evaluation.id, on: connection)
            return ResponseRate(evaluationID: evaluation.id, invited: invited, responded: responded)
        }
    }
}
