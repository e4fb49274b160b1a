import Foundation

/// One counter of an anonymous evaluation: a question, an item (a competency, or "") and a value
/// (a level, an option, or "" for "answered this question").
public struct EvaluationCounter: Hashable, Sendable, Comparable {
    public let questionID: String
    public let item: String
    public let value: String

    public init(_ questionID: String, item: String = "", value: String = "") {
        self.questionID = questionID
        self.item = item
        self.value = value
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.questionID, lhs.item, lhs.value) < (rhs.questionID, rhs.item, rhs.value)
    }
}

/// A free-text answer as the report sees it: no respondent, no time.
public struct EvaluationText: Sendable, Equatable {
    public let questionID: String
    public let body: String
    public let shownIfAlone: Bool

    public init(questionID: String, body: String, shownIfAlone: Bool) {
        self.questionID = questionID
        self.body = body
        self.shownIfAlone = shownIfAlone
    }
}

/// How answers become counters and texts; the same for anonymous evaluations (folded by the
/// worker) and named ones (counted when the report is read).
public enum EvaluationTally {
    /// Questions an anonymous result cannot hold as counters: a date is as good as a name.
    static func unsupported(_ definition: FormDefinition) -> [FieldError] {
        definition.questions.filter { $0.kind == .date }.map {
            FieldError("/form_key", "has a date question (\($0.id)); an evaluation form holds none")
        }
    }

    /// Every counter the version's answers can move, created at zero with the evaluation.
    static func counters(for definition: FormDefinition) -> [EvaluationCounter] {
        definition.questions.flatMap { question -> [EvaluationCounter] in
            let answered = EvaluationCounter(question.id)
            switch question.kind {
            case .rating:
                return [answered] + question.levels.map { EvaluationCounter(question.id, value: String($0.value)) }
            case .singleChoice, .multipleChoice:
                return [answered] + question.options.map { EvaluationCounter(question.id, value: $0.value) }
            case .competencyRating:
                return [answered]
                    + question.competencies.flatMap { competency in
                        [EvaluationCounter(question.id, item: competency.value)]
                            + question.levels.map {
                                EvaluationCounter(question.id, item: competency.value, value: String($0.value))
                            }
                    }
            case .text, .date:
                return [answered]
            }
        }
    }

    /// The counters one valid response moves, and its non-empty texts.
    static func tally(
        _ answers: [String: JSONValue],
        on definition: FormDefinition,
        showTextIfAlone: Bool
    ) -> (counters: [EvaluationCounter], texts: [EvaluationText]) {
        var counters: [EvaluationCounter] = []
        var texts: [EvaluationText] = []
        for question in definition.questions {
            guard let answer = answers[question.id], answer != .null else { continue }
            switch (question.kind, answer) {
            case (.rating, .number(let level)):
                counters += [EvaluationCounter(question.id), EvaluationCounter(question.id, value: Self.level(level))]
            case (.singleChoice, .string(let option)):
                counters += [EvaluationCounter(question.id), EvaluationCounter(question.id, value: option)]
            case (.multipleChoice, .array(let options)):
                counters.append(EvaluationCounter(question.id))
                for case .string(let option) in options {
                    counters.append(EvaluationCounter(question.id, value: option))
                }
            case (.competencyRating, .object(let ratings)):
                counters.append(EvaluationCounter(question.id))
                for (competency, rating) in ratings {
                    guard case .number(let level) = rating else { continue }
                    counters += [
                        EvaluationCounter(question.id, item: competency),
                        EvaluationCounter(question.id, item: competency, value: Self.level(level)),
                    ]
                }
            case (.text, .string(let body)):
                let body = body.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !body.isEmpty else { continue }
                counters.append(EvaluationCounter(question.id))
                texts.append(EvaluationText(questionID: question.id, body: body, shownIfAlone: showTextIfAlone))
            default:
                continue
            }
        }
        return (counters, texts)
    }

    private static func level(_ number: Double) -> String { String(Int(number)) }

    /// The counters and texts of many responses added up: a fold's batch, a named report, a cell.
    struct Totals {
        var counts: [EvaluationCounter: Int] = [:]
        var texts: [EvaluationText] = []

        mutating func add(_ answers: [String: JSONValue], on definition: FormDefinition, showTextIfAlone: Bool) {
            let (counters, own) = EvaluationTally.tally(answers, on: definition, showTextIfAlone: showTextIfAlone)
            for counter in counters { counts[counter, default: 0] += 1 }
            texts += own
        }
    }
}
