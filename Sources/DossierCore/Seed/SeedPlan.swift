import Foundation

/// Who and what a seeded world holds, derived from the counts and today's date alone, so two
/// seeds of one scale on the same day hold the same people, groups and texts.
struct SeedPlan: Sendable {
    struct PersonPlan: Sendable {
        let name: String
        let email: String
        let role: Role
        var startDate: CalendarDate?
        var trainingYear = 1
        var site = Site.leiden
        var group = 0

        func input(groupID: GroupID?) -> PersonInput {
            PersonInput(
                name: name,
                email: email,
                roles: [role.rawValue],
                trainee: startDate.map { start in
                    .init(
                        startDate: start.description,
                        expectedEndDate: start.adding(months: 36).description,
                        trainingYear: trainingYear,
                        site: site.rawValue,
                        groupID: groupID?.description
                    )
                }
            )
        }
    }

    struct GroupPlan: Sendable {
        let name: String
        let trainingYear: Int
        let site: Site

        func input(teachers: [PersonID]) -> GroupService.Input {
            let first = teachers.isEmpty ? [] : [teachers[(trainingYear - 1) % teachers.count].description]
            return .init(
                name: name,
                kind: Group.Kind.year.rawValue,
                trainingYear: trainingYear,
                site: site.rawValue,
                teacherIDs: first
            )
        }
    }

    let counts: SeedScale.Counts
    let coordinators: [PersonPlan]
    let teachers: [PersonPlan]
    let trainers: [PersonPlan]
    let trainees: [PersonPlan]
    let groups: [GroupPlan]

    init(counts: SeedScale.Counts, today: CalendarDate) {
        self.counts = counts
        func people(_ count: Int, _ role: Role) -> [PersonPlan] {
            (0..<count).map { index in
                PersonPlan(
                    name: Self.name(index, salt: role.rawValue.count),
                    email: String(format: "%@%04d@seed.dossier.example", role.rawValue, index + 1),
                    role: role
                )
            }
        }
        coordinators = people(counts.coordinators, .coordinator)
        teachers = people(counts.teachers, .teacher)
        trainers = people(counts.trainers, .trainer)
        let groups = (0..<counts.groups).map { index in
            let year = 1 + index % 3
            let site: Site = index % 2 == 0 ? .leiden : .denHaag
            return GroupPlan(
                name: "Jaar \(year) \(site == .leiden ? "Leiden" : "Den Haag") \(index / 3 + 1)",
                trainingYear: year,
                site: site
            )
        }
        self.groups = groups
        trainees = people(counts.trainees, .trainee).enumerated().map { index, plan in
            var trainee = plan
            trainee.group = index % groups.count
            trainee.trainingYear = groups[trainee.group].trainingYear
            trainee.site = groups[trainee.group].site
            // Spread over the year so that everyone is in training and review dates differ.
            trainee.startDate = today.adding(months: -12 * (trainee.trainingYear - 1) - 1 - index % 11)
            return trainee
        }
    }

    /// Trainer `k` supervises trainees `k * n ..< (k + 1) * n`.
    func trainerIndex(of trainee: Int) -> Int { trainee / counts.traineesPerTrainer }

    private static let givenNames = [
        "Anouk", "Bram", "Chantal", "Daan", "Esra", "Femke", "Gijs", "Hanna", "Ilse", "Joris", "Karim", "Lotte",
        "Maarten", "Noor", "Olaf", "Priya", "Quinten", "Roos", "Sven", "Tessa", "Umut", "Vera", "Willem", "Yara",
    ]
    private static let familyNames = [
        "de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos",
        "Vos", "Peters", "Hendriks", "van Dijk", "Dekker", "Brouwer", "Yılmaz", "El Amrani", "Çelik", "Kuipers",
    ]

    static func name(_ index: Int, salt: Int) -> String {
        let given = givenNames[(index + salt) % givenNames.count]
        let family = familyNames[(index / givenNames.count + index * 7 + salt) % familyNames.count]
        return "\(given) \(family)"
    }

    private static let topics = [
        "anamnese bij een oudere patiënt", "slecht-nieuwsgesprek", "overdracht in de nachtdienst",
        "samenwerking met de praktijkondersteuner", "medicatiereview", "spoedvisite",
    ]

    static let reflection =
        "Vandaag besprak ik met mijn opleider hoe het consult verliep. De patiënt kwam met klachten die ik eerst niet goed kon plaatsen; na een gerichte anamnese en lichamelijk onderzoek werd het beeld duidelijker. Wat ging goed: ik liet de patiënt uitpraten. Wat kan beter: eerder samenvatten en de hulpvraag expliciet maken. Leerdoel voor volgende week: "

    static let comment = "Mooie reflectie; bespreek het leerdoel in de volgende opleidingsbespreking."

    /// Entry `number` of a portfolio: the same texts the bulk statement writes, two of three shared.
    static func entry(_ number: Int) -> EntryRules.Input {
        let kinds: [Entry.Kind] = [.reflection, .learningGoal, .case, .meetingNote, .certificate, .other]
        return EntryRules.Input(
            kind: kinds[number % kinds.count].rawValue,
            title: "Reflectie \(number + 1): \(topics[number % topics.count])",
            body: String(String(repeating: reflection, count: 3).prefix(200 + (number * 37) % 700)),
            tags: [[], ["communicatie"], ["diagnostiek", "reflectie"]][number % 3],
            activities: [[], ["EPA 3"], ["EPA 1", "EPA 5"]][number % 3],
            shared: number % 3 != 2
        )
    }

    static func assessment(on day: CalendarDate) -> AssessmentService.Input {
        .init(
            instrument: "kba",
            formVersion: nil,
            answers: [
                "activity": .string("chronic_care"),
                "entrustment": .number(3),
                "observation": .string("DM-controle zelfstandig uitgevoerd."),
            ],
            narrative: "Zelfstandig en zorgvuldig.",
            assessedOn: day.description
        )
    }

    static func review(on day: CalendarDate) -> ProgressReviewService.Input {
        let competencies = [
            "medical_expertise", "communication", "collaboration", "knowledge_and_science", "social_accountability",
            "organisation", "professionalism",
        ]
        return .init(
            kind: "review",
            formVersion: nil,
            heldOn: day.description,
            answers: [
                "participants": .array([.string("trainee"), .string("trainer"), .string("teacher")]),
                "progress": .object(Dictionary(uniqueKeysWithValues: competencies.map { ($0, JSONValue.number(3)) })),
                "learning_goals": .string("Palliatieve zorg."),
            ],
            summary: "Op koers."
        )
    }
}
