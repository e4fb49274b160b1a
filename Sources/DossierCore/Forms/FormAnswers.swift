import Foundation

/// Checks a response against the form version it is filled in on: every unknown question,
/// missing required answer and answer of the wrong shape is reported with its pointer.
public enum FormAnswers {
    public static func validate(
        _ answers: [String: JSONValue],
        against definition: FormDefinition,
        pointer base: String = "/answers"
    ) -> [FieldError] {
        var errors: [FieldError] = []
        for key in answers.keys.sorted() where definition.question(key) == nil {
            errors.append(FieldError("\(base)/\(key)", "is not a question of this form version"))
        }
        for question in definition.questions {
            let pointer = "\(base)/\(question.id)"
            guard let answer = answers[question.id], answer != .null else {
                if question.required { errors.append(FieldError(pointer, "is required")) }
                continue
            }
            errors += check(answer, for: question, pointer: pointer)
        }
        return errors
    }

    private static func check(_ answer: JSONValue, for question: FormQuestion, pointer: String) -> [FieldError] {
        switch question.kind {
        case .rating:
            return level(answer, of: question, pointer: pointer).map { [$0] } ?? []
        case .singleChoice:
            guard case .string(let value) = answer, question.options.contains(where: { $0.value == value }) else {
                return [FieldError(pointer, "must be one of \(question.options.map(\.value).joined(separator: ", "))")]
            }
            return []
        case .multipleChoice:
            guard case .array(let values) = answer else { return [FieldError(pointer, "must be a list of options")] }
            var errors: [FieldError] = []
            var seen = Set<String>()
            for (index, value) in values.enumerated() {
                guard case .string(let text) = value, question.options.contains(where: { $0.value == text }) else {
                    errors.append(
                        FieldError(
                            "\(pointer)/\(index)",
                            "must be one of \(question.options.map(\.value).joined(separator: ", "))"
                        )
                    )
                    continue
                }
                if !seen.insert(text).inserted { errors.append(FieldError("\(pointer)/\(index)", "is chosen twice")) }
            }
            if question.required && values.isEmpty { errors.append(FieldError(pointer, "needs at least one option")) }
            return errors
        case .text:
            let limit = question.maxLength ?? FormQuestion.defaultTextLength
            guard case .string(let text) = answer else { return [FieldError(pointer, "must be text")] }
            if text.count > limit { return [FieldError(pointer, "must be at most \(limit) characters")] }
            if question.required && text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                return [FieldError(pointer, "is required")]
            }
            return []
        case .date:
            guard case .string(let text) = answer, CalendarDate(text) != nil else {
                return [FieldError(pointer, "must be a date, YYYY-MM-DD")]
            }
            return []
        case .competencyRating:
            guard case .object(let ratings) = answer else {
                return [FieldError(pointer, "must be an object with a level per competency")]
            }
            var errors: [FieldError] = []
            for key in ratings.keys.sorted() where !question.competencies.contains(where: { $0.value == key }) {
                errors.append(FieldError("\(pointer)/\(key)", "is not a competency of this question"))
            }
            for competency in question.competencies {
                guard let rating = ratings[competency.value], rating != .null else {
                    if question.required { errors.append(FieldError("\(pointer)/\(competency.value)", "is required")) }
                    continue
                }
                if let error = level(rating, of: question, pointer: "\(pointer)/\(competency.value)") {
                    errors.append(error)
                }
            }
            return errors
        }
    }

    private static func level(_ answer: JSONValue, of question: FormQuestion, pointer: String) -> FieldError? {
        guard case .number(let number) = answer, let value = Int(exactly: number),
            question.levels.contains(where: { $0.value == value })
        else {
            return FieldError(
                pointer,
                "must be one of the levels \(question.levels.map { String($0.value) }.joined(separator: ", "))"
            )
        }
        return nil
    }
}
