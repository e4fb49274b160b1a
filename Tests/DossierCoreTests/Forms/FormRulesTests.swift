import DossierCore
import Foundation
import Testing

@Suite struct FormRulesTests {
    static let levels = [FormQuestion.Level(value: 1, label: "Low"), .init(value: 2, label: "High")]
    static let definition = FormDefinition(questions: [
        FormQuestion(id: "overall", kind: .rating, label: "Overall", required: true, levels: levels),
        FormQuestion(
            id: "advice",
            kind: .singleChoice,
            label: "Advice",
            options: [.init(value: "go", label: "Go"), .init(value: "stop", label: "Stop")]
        ),
        FormQuestion(
            id: "who",
            kind: .multipleChoice,
            label: "Who",
            options: [.init(value: "trainer", label: "Trainer"), .init(value: "teacher", label: "Teacher")]
        ),
        FormQuestion(id: "notes", kind: .text, label: "Notes", maxLength: 5),
        FormQuestion(id: "on", kind: .date, label: "On"),
        FormQuestion(
            id: "combel",
            kind: .competencyRating,
            label: "ComBeL",
            required: true,
            levels: levels,
            competencies: [.init(value: "communication", label: "Communication"), .init(value: "care", label: "Care")]
        ),
    ])

    @Test func answersThatFitTheVersionPass() {
        let answers: [String: JSONValue] = [
            "overall": .number(2), "advice": .string("go"), "who": .array([.string("trainer")]),
            "notes": .string("fine"), "on": .string("2026-11-01"),
            "combel": .object(["communication": .number(1), "care": .number(2)]),
        ]

        #expect(FormAnswers.validate(answers, against: Self.definition).isEmpty)
    }

    @Test func everyBadAnswerIsReportedWithItsPointer() {
        let answers: [String: JSONValue] = [
            "overall": .number(3), "advice": .string("maybe"), "who": .array([.string("trainer"), .string("trainer")]),
            "notes": .string("too long"), "on": .string("2026-02-30"), "combel": .object(["communication": .number(1)]),
            "extra": .bool(true),
        ]

        let pointers = FormAnswers.validate(answers, against: Self.definition).map(\.pointer)

        #expect(
            pointers == [
                "/answers/extra", "/answers/overall", "/answers/advice", "/answers/who/1", "/answers/notes",
                "/answers/on", "/answers/combel/care",
            ]
        )
    }

    @Test func aMissingRequiredAnswerIsNamed() {
        let pointers = FormAnswers.validate([:], against: Self.definition).map(\.pointer)

        #expect(pointers == ["/answers/overall", "/answers/combel"])
    }

    @Test func aDefinitionWithBrokenQuestionsIsRefusedPerQuestion() {
        let definition = FormDefinition(questions: [
            FormQuestion(id: "Bad Id", kind: .rating, label: "", levels: [.init(value: 1, label: "Only")]),
            FormQuestion(id: "choice", kind: .singleChoice, label: "Pick", levels: Self.levels),
            FormQuestion(id: "choice", kind: .text, label: "Again", maxLength: 0),
        ])

        let pointers = FormDefinitionRules.validate(definition).map(\.pointer)

        #expect(
            pointers == [
                "/definition/questions/0/id", "/definition/questions/0/label", "/definition/questions/0/levels",
                "/definition/questions/1/levels", "/definition/questions/1/options", "/definition/questions/2/id",
                "/definition/questions/2/max_length",
            ]
        )
    }

    @Test func theSeedShapedDefinitionsPassTheirOwnRules() {
        #expect(FormDefinitionRules.validate(Self.definition).isEmpty)
    }

    @Test func aVersionIsTestedBeforeProductionAndRetiredLast() {
        #expect(FormVersion.Status.draft.next == [.testing])
        #expect(FormVersion.Status.testing.next == [.production, .retired])
        #expect(FormVersion.Status.production.next == [.retired])
        #expect(FormVersion.Status.retired.next.isEmpty)
        #expect(FormVersion.Status.allCases.filter(\.acceptsResponses) == [.testing, .production])
    }
}

@Suite struct ProgressReviewScheduleTests {
    static func date(_ text: String) -> CalendarDate { CalendarDate(text)! }

    @Test func reviewsAreDueEveryThreeMonthsFromTheStartUntilTheEnd() {
        let items = ProgressReviewSchedule.items(
            start: Self.date("2025-08-31"),
            end: Self.date("2026-08-31"),
            held: [],
            today: Self.date("2025-01-01")
        )

        #expect(items.map(\.dueOn.description) == ["2025-11-30", "2026-02-28", "2026-05-31", "2026-08-31"])
        #expect(items.allSatisfy { $0.status == .upcoming })
    }

    @Test func theNthReviewCoversTheNthDueDateAndTheRestPastTodayAreOverdue() {
        let first = ProgressRecord.ID.generate()
        let items = ProgressReviewSchedule.items(
            start: Self.date("2025-09-01"),
            end: Self.date("2028-09-01"),
            held: [(first, Self.date("2025-12-10"))],
            today: Self.date("2026-06-15")
        )

        #expect(items.prefix(4).map(\.status) == [.held, .overdue, .overdue, .upcoming])
        #expect(items[0].reviewID == first)
        #expect(
            ProgressReviewSchedule.firstOverdue(
                start: Self.date("2025-09-01"),
                end: Self.date("2028-09-01"),
                held: [(first, Self.date("2025-12-10"))],
                today: Self.date("2026-06-15")
            ) == Self.date("2026-03-01")
        )
        #expect(Self.date("2026-03-01").days(until: Self.date("2026-06-15")) == 106)
    }
}
