import Foundation

/// The result of an evaluation, or only that it is suppressed: below the threshold no number
/// but the response count leaves the service, not even a per-option count.
public struct EvaluationReport: Sendable, Equatable {
    public struct Bucket: Sendable, Equatable {
        public let value: String
        public let label: String
        public let count: Int
    }

    /// A rating's or a competency's distribution with its mean and median; a choice's without.
    public struct Distribution: Sendable, Equatable {
        public let answered: Int
        public let buckets: [Bucket]
        public let mean: Double?
        public let median: Double?
    }

    public struct Item: Sendable, Equatable {
        public let value: String
        public let label: String
        public let distribution: Distribution
    }

    public struct Question: Sendable, Equatable {
        public let id: String
        public let kind: FormQuestion.Kind
        public let label: String
        public let answered: Int
        public let distribution: Distribution?
        public let items: [Item]
        public let texts: [String]
        /// Texts kept back: the only text on its question, whose author did not allow it alone.
        public let textsWithheld: Int
    }

    public enum Result: Sendable, Equatable {
        case suppressed
        case shown([Question])
    }

    /// A period the report covers: the evaluation itself, then (for a pooled trainer report) the
    /// earlier ones it needed, newest first.
    public struct Period: Sendable, Equatable {
        public let evaluationID: Evaluation.ID
        public let opensAt: Date
        public let closesAt: Date
    }

    /// One cell of a breakdown: the same questions over the responses of one site.
    public struct Cell: Sendable, Equatable {
        public let key: String
        public let responses: Int
        public let questions: [Question]
    }

    public enum Breakdown: String, Sendable, CaseIterable {
        case site
    }

    public let evaluationID: Evaluation.ID
    public let responses: Int
    public let needed: Int
    public let periods: [Period]
    public let result: Result
    public var breakdown: [Cell]? = nil

    /// The report from the counters and texts of `periods`; `responses` below the evaluation's
    /// threshold suppresses it whole, periods included.
    static func make(
        _ evaluation: Evaluation,
        definition: FormDefinition,
        responses: Int,
        periods: [Evaluation],
        counts: [EvaluationCounter: Int],
        texts: [EvaluationText]
    ) -> EvaluationReport {
        guard responses >= evaluation.minimumResponses else {
            return EvaluationReport(
                evaluationID: evaluation.id,
                responses: responses,
                needed: evaluation.minimumResponses,
                periods: [],
                result: .suppressed
            )
        }
        let questions = Self.questions(definition, counts: counts, texts: texts)
        return EvaluationReport(
            evaluationID: evaluation.id,
            responses: responses,
            needed: evaluation.minimumResponses,
            periods: periods.map { Period(evaluationID: $0.id, opensAt: $0.opensAt, closesAt: $0.closesAt) },
            result: .shown(questions)
        )
    }

    static func questions(
        _ definition: FormDefinition,
        counts: [EvaluationCounter: Int],
        texts: [EvaluationText]
    ) -> [Question] {
        definition.questions.map { question in
            let answered = counts[EvaluationCounter(question.id)] ?? 0
            func distribution(item: String, choices: [(value: String, label: String)], scale: Bool) -> Distribution {
                let buckets = choices.map {
                    Bucket(
                        value: $0.value,
                        label: $0.label,
                        count: counts[EvaluationCounter(question.id, item: item, value: $0.value)] ?? 0
                    )
                }
                let total = item.isEmpty ? answered : counts[EvaluationCounter(question.id, item: item)] ?? 0
                return Distribution(
                    answered: total,
                    buckets: buckets,
                    mean: scale ? mean(buckets) : nil,
                    median: scale ? median(buckets) : nil
                )
            }
            let levels = question.levels.map { (value: String($0.value), label: $0.label) }
            let ownTexts = texts.filter { $0.questionID == question.id }
            let withheld = ownTexts.count == 1 && !ownTexts[0].shownIfAlone
            let overall: Distribution? =
                switch question.kind {
                case .rating: distribution(item: "", choices: levels, scale: true)
                case .singleChoice, .multipleChoice:
                    distribution(item: "", choices: question.options.map { ($0.value, $0.label) }, scale: false)
                case .competencyRating, .text, .date: nil
                }
            return Question(
                id: question.id,
                kind: question.kind,
                label: question.label,
                answered: answered,
                distribution: overall,
                items: question.kind == .competencyRating
                    ? question.competencies.map {
                        Item(
                            value: $0.value,
                            label: $0.label,
                            distribution: distribution(item: $0.value, choices: levels, scale: true)
                        )
                    } : [],
                texts: withheld ? [] : ownTexts.map(\.body),
                textsWithheld: withheld ? 1 : 0
            )
        }
    }

    private static func mean(_ buckets: [Bucket]) -> Double? {
        let total = buckets.reduce(0) { $0 + $1.count }
        guard total > 0 else { return nil }
        let sum = buckets.reduce(0.0) { $0 + (Double($1.value) ?? 0) * Double($1.count) }
        return (sum / Double(total) * 100).rounded() / 100
    }

    /// The middle answer on the scale (the mean of the two middle ones for an even count).
    private static func median(_ buckets: [Bucket]) -> Double? {
        let total = buckets.reduce(0) { $0 + $1.count }
        guard total > 0 else { return nil }
        let sorted = buckets.sorted { (Double($0.value) ?? 0) < (Double($1.value) ?? 0) }
        func value(at rank: Int) -> Double {
            var seen = 0
            for bucket in sorted {
                seen += bucket.count
                if seen >= rank { return Double(bucket.value) ?? 0 }
            }
            return Double(sorted.last?.value ?? "0") ?? 0
        }
        return total % 2 == 1 ? value(at: (total + 1) / 2) : (value(at: total / 2) + value(at: total / 2 + 1)) / 2
    }
}

extension EvaluationReport {
    /// The report as CSV, a row per bucket (`item` is the competency of a competency rating) and
    /// per free text; when suppressed, only the counts that say so.
    public var csv: String {
        guard case .shown(let questions) = result else {
            return CSVWriter.line(["suppressed", "responses", "needed"])
                + CSVWriter.line(["true", String(responses), String(needed)])
        }
        var text = CSVWriter.line(["question_id", "kind", "item", "value", "label", "count"])
        for question in questions {
            let kind = question.kind.rawValue
            for bucket in question.distribution?.buckets ?? [] {
                text += CSVWriter.line([question.id, kind, "", bucket.value, bucket.label, String(bucket.count)])
            }
            for item in question.items {
                for bucket in item.distribution.buckets {
                    text += CSVWriter.line([
                        question.id, kind, item.value, bucket.value, bucket.label, String(bucket.count),
                    ])
                }
            }
            for body in question.texts { text += CSVWriter.line([question.id, kind, "", "text", body, ""]) }
        }
        return text
    }
}
