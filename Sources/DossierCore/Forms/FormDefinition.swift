import Foundation

/// The questions of one form version. Stored as JSON with the version and never changed once
/// the version leaves draft, so every response can be read against the questions it answered.
public struct FormDefinition: Sendable, Equatable, Codable {
    public var instructions: String?
    public var questions: [FormQuestion]

    public init(instructions: String? = nil, questions: [FormQuestion]) {
        self.instructions = instructions
        self.questions = questions
    }

    public func question(_ id: String) -> FormQuestion? { questions.first { $0.id == id } }
}

/// One question; which of `levels`, `options` and `competencies` it uses depends on its kind.
public struct FormQuestion: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// One level of a labelled scale (`levels`); the answer is the level's value.
        case rating
        /// One of `options`; the answer is the option's value.
        case singleChoice = "single_choice"
        /// Any of `options`; the answer is a list of values.
        case multipleChoice = "multiple_choice"
        /// Free text up to `max_length` characters.
        case text
        /// A calendar date, `YYYY-MM-DD`.
        case date
        /// A level of `levels` for each of `competencies` (a ComBeL row per competency).
        case competencyRating = "competency_rating"
    }

    public struct Level: Sendable, Equatable, Codable {
        public var value: Int
        public var label: String

        public init(value: Int, label: String) {
            self.value = value
            self.label = label
        }
    }

    public struct Choice: Sendable, Equatable, Codable {
        public var value: String
        public var label: String

        public init(value: String, label: String) {
            self.value = value
            self.label = label
        }
    }

    public var id: String
    public var kind: Kind
    public var label: String
    public var help: String?
    public var required: Bool
    public var levels: [Level]
    public var options: [Choice]
    public var competencies: [Choice]
    public var maxLength: Int?

    public static let defaultTextLength = 10_000

    public init(
        id: String,
        kind: Kind,
        label: String,
        help: String? = nil,
        required: Bool = false,
        levels: [Level] = [],
        options: [Choice] = [],
        competencies: [Choice] = [],
        maxLength: Int? = nil
    ) {
        self.id = id
        self.kind = kind
        self.label = label
        self.help = help
        self.required = required
        self.levels = levels
        self.options = options
        self.competencies = competencies
        self.maxLength = maxLength
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, label, help, required, levels, options, competencies
        case maxLength = "max_length"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        kind = try container.decode(Kind.self, forKey: .kind)
        label = try container.decode(String.self, forKey: .label)
        help = try container.decodeIfPresent(String.self, forKey: .help)
        required = try container.decodeIfPresent(Bool.self, forKey: .required) ?? false
        levels = try container.decodeIfPresent([Level].self, forKey: .levels) ?? []
        options = try container.decodeIfPresent([Choice].self, forKey: .options) ?? []
        competencies = try container.decodeIfPresent([Choice].self, forKey: .competencies) ?? []
        maxLength = try container.decodeIfPresent(Int.self, forKey: .maxLength)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(kind, forKey: .kind)
        try container.encode(label, forKey: .label)
        try container.encodeIfPresent(help, forKey: .help)
        try container.encode(required, forKey: .required)
        if !levels.isEmpty { try container.encode(levels, forKey: .levels) }
        if !options.isEmpty { try container.encode(options, forKey: .options) }
        if !competencies.isEmpty { try container.encode(competencies, forKey: .competencies) }
        try container.encodeIfPresent(maxLength, forKey: .maxLength)
    }
}

/// What makes a definition usable, every broken rule reported with its pointer.
public enum FormDefinitionRules {
    public static let maximumQuestions = 200

    public static func validate(_ definition: FormDefinition, pointer base: String = "/definition") -> [FieldError] {
        var errors: [FieldError] = []
        if let instructions = definition.instructions, instructions.count > 5_000 {
            errors.append(FieldError("\(base)/instructions", "must be at most 5000 characters"))
        }
        if !(1...maximumQuestions).contains(definition.questions.count) {
            errors.append(FieldError("\(base)/questions", "must hold 1-\(maximumQuestions) questions"))
        }
        var seen = Set<String>()
        for (index, question) in definition.questions.enumerated() {
            let pointer = "\(base)/questions/\(index)"
            if !isKey(question.id, first: "abcdefghijklmnopqrstuvwxyz") {
                errors.append(FieldError("\(pointer)/id", "must be 1-64 of a-z, 0-9, _ and -, starting with a letter"))
            } else if !seen.insert(question.id).inserted {
                errors.append(FieldError("\(pointer)/id", "is used by an earlier question"))
            }
            if !(1...500).contains(question.label.count) {
                errors.append(FieldError("\(pointer)/label", "must be 1-500 characters"))
            }
            if let help = question.help, help.count > 2_000 {
                errors.append(FieldError("\(pointer)/help", "must be at most 2000 characters"))
            }
            errors += shape(of: question, pointer: pointer)
        }
        return errors
    }

    private static func shape(of question: FormQuestion, pointer: String) -> [FieldError] {
        var errors: [FieldError] = []
        let kind = question.kind
        let usesLevels = kind == .rating || kind == .competencyRating
        let usesOptions = kind == .singleChoice || kind == .multipleChoice
        if usesLevels {
            if !(2...11).contains(question.levels.count) {
                errors.append(FieldError("\(pointer)/levels", "must hold 2-11 levels for a \(kind.rawValue) question"))
            }
            if Set(question.levels.map(\.value)).count != question.levels.count {
                errors.append(FieldError("\(pointer)/levels", "must have distinct values"))
            }
            for (index, level) in question.levels.enumerated() where !(1...200).contains(level.label.count) {
                errors.append(FieldError("\(pointer)/levels/\(index)/label", "must be 1-200 characters"))
            }
        } else if !question.levels.isEmpty {
            errors.append(FieldError("\(pointer)/levels", "is only for rating and competency_rating questions"))
        }
        if usesOptions {
            errors += choices(question.options, pointer: "\(pointer)/options", range: 2...50)
        } else if !question.options.isEmpty {
            errors.append(FieldError("\(pointer)/options", "is only for single_choice and multiple_choice questions"))
        }
        if kind == .competencyRating {
            errors += choices(question.competencies, pointer: "\(pointer)/competencies", range: 1...20)
        } else if !question.competencies.isEmpty {
            errors.append(FieldError("\(pointer)/competencies", "is only for competency_rating questions"))
        }
        if let maxLength = question.maxLength {
            if kind != .text {
                errors.append(FieldError("\(pointer)/max_length", "is only for text questions"))
            } else if !(1...20_000).contains(maxLength) {
                errors.append(FieldError("\(pointer)/max_length", "must be 1-20000"))
            }
        }
        return errors
    }

    private static func choices(
        _ choices: [FormQuestion.Choice],
        pointer: String,
        range: ClosedRange<Int>
    ) -> [FieldError] {
        var errors: [FieldError] = []
        if !range.contains(choices.count) {
            errors.append(FieldError(pointer, "must hold \(range.lowerBound)-\(range.upperBound) items"))
        }
        if Set(choices.map(\.value)).count != choices.count {
            errors.append(FieldError(pointer, "must have distinct values"))
        }
        for (index, choice) in choices.enumerated() {
            if !isKey(choice.value, first: "abcdefghijklmnopqrstuvwxyz0123456789") {
                errors.append(FieldError("\(pointer)/\(index)/value", "must be 1-64 of a-z, 0-9, _ and -"))
            }
            if !(1...200).contains(choice.label.count) {
                errors.append(FieldError("\(pointer)/\(index)/label", "must be 1-200 characters"))
            }
        }
        return errors
    }

    /// A machine key: 1-64 characters of a-z, 0-9, `_` and `-`, the first one from `first`.
    static func isKey(_ text: String, first: String) -> Bool {
        guard let head = text.first, first.contains(head), text.count <= 64 else { return false }
        return text.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
    }
}
