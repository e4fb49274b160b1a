import Foundation
import Logging

/// A deterministic world for exploring and benchmarking: the same people, groups, supervisions
/// and portfolio contents for a scale on every run, written through the services so that every
/// rule and every access-log row is what the API would have produced. Only the national scale's
/// half million entries go in by bulk SQL.
public struct SeedService: Sendable {
    /// Who did the seeding; also the marker that a database was seeded already.
    public static let adminEmail = "admin@seed.dossier.example"

    /// The accounts a new user signs in as (with `dossier token create --email`).
    public struct Report: Sendable {
        public var people = 0
        public var supervisions = 0
        public var entries = 0
        public var assessments = 0
        public var progressReviews = 0
        /// E-mail address and token secret of every token the seed issued.
        public var tokens: [(email: String, secret: String)] = []
        public var sampleTrainee = ""
        public var sampleTrainer = ""
        public var sampleCoordinator = ""
    }

    public typealias Progress = @Sendable (_ phase: String, _ done: Int, _ total: Int) -> Void

    private let database: Database
    private let clock: any WallClock
    private let logger: Logger
    private let concurrency: Int

    public init(database: Database, clock: any WallClock, logger: Logger, concurrency: Int = 4) {
        self.database = database
        self.clock = clock
        self.logger = logger
        self.concurrency = concurrency
    }

    public func seed(_ scale: SeedScale, progress: @escaping Progress) async throws -> Report {
        let counts = scale.counts
        let tokens = TokenService(database: database, clock: clock, logger: logger)
        let people = PersonService(database: database, clock: clock, logger: logger)
        let seeds = SeedRepository()
        if try await database.read({ try await seeds.personExists(email: Self.adminEmail, on: $0) }) {
            throw DossierError(
                .conflict,
                slug: .duplicateKey,
                detail: "This database was seeded already (\(Self.adminEmail) exists); seed an empty database."
            )
        }
        var report = Report()
        let adminToken = try await tokens.bootstrap(
            email: Self.adminEmail,
            name: "Seed Admin",
            role: .admin,
            lifetimeDays: 30
        )
        let admin = Self.caller(adminToken, roles: [.admin])
        report.tokens.append((Self.adminEmail, adminToken.secret))
        let today = CalendarDate(clock.now())
        let plan = SeedPlan(counts: counts, today: today)

        let staff = plan.coordinators + plan.teachers
        let staffIDs = try await each(staff, "staff", progress) { person in
            try await people.create(person.input(groupID: nil), caller: admin).id
        }
        report.people += staff.count + 1
        for coordinator in plan.coordinators {
            let issued = try await tokens.bootstrap(
                email: coordinator.email,
                name: nil,
                role: .coordinator,
                lifetimeDays: 30
            )
            report.tokens.append((coordinator.email, issued.secret))
        }
        let teacherIDs = Array(staffIDs.dropFirst(plan.coordinators.count))
        let groups = GroupService(database: database, clock: clock, logger: logger)
        let groupIDs = try await each(plan.groups, "groups", progress) { group in
            try await groups.create(group.input(teachers: teacherIDs), caller: admin).id
        }
        let trainers = try await each(plan.trainers, "trainers", progress) { person in
            _ = try await people.create(person.input(groupID: nil), caller: admin)
            return try await tokens.bootstrap(email: person.email, name: nil, role: .trainer, lifetimeDays: 30)
        }
        report.people += trainers.count
        report.tokens += zip(plan.trainers, trainers).map { ($0.email, $1.secret) }
        let trainees = try await each(plan.trainees, "trainees", progress) { person in
            try await people.create(person.input(groupID: groupIDs[person.group]), caller: admin).id
        }
        report.people += trainees.count
        let supervisions = SupervisionService(database: database, clock: clock, logger: logger)
        _ = try await each(Array(plan.trainees.indices), "supervisions", progress) { index in
            try await supervisions.create(
                .init(
                    kind: SupervisionKind.trainer.rawValue,
                    supervisorID: trainers[plan.trainerIndex(of: index)].token.ownerPersonID.description,
                    traineeID: trainees[index].description,
                    validFrom: plan.trainees[index].startDate!.description,
                    validUntil: nil
                ),
                caller: admin
            )
        }
        report.supervisions = trainees.count
        let portfolios = try await database.read { try await seeds.portfolios(of: trainees, on: $0) }

        if counts.bulkEntries {
            let batches = stride(from: 0, to: portfolios.count, by: 100).map {
                Array(portfolios[$0..<min($0 + 100, portfolios.count)])
            }
            _ = try await each(batches, "entries", progress) { batch in
                try await database.transaction {
                    try await seeds.insertEntries(
                        portfolios: batch,
                        perPortfolio: counts.entries,
                        at: clock.now(),
                        on: $0
                    )
                }
            }
        } else {
            let entries = EntryService(database: database, clock: clock)
            let traineeTokens = try await each(plan.trainees, "trainee tokens", progress) { person in
                try await tokens.bootstrap(email: person.email, name: nil, role: .trainee, lifetimeDays: 30)
            }
            report.tokens += zip(plan.trainees, traineeTokens).map { ($0.email, $1.secret) }
            _ = try await each(Array(plan.trainees.indices), "entries", progress) { index in
                let trainee = Self.caller(traineeTokens[index], roles: [.trainee])
                let trainer = Self.caller(trainers[plan.trainerIndex(of: index)], roles: [.trainer])
                for number in 0..<counts.entries {
                    let entry = try await entries.create(portfolios[index], SeedPlan.entry(number), caller: trainee)
                    if number == 1 {
                        _ = try await entries.comment(on: entry.id, body: SeedPlan.comment, caller: trainer)
                    }
                }
            }
        }
        report.entries = portfolios.count * counts.entries

        let assessments = AssessmentService(database: database, clock: clock)
        let reviews = ProgressReviewService(database: database, clock: clock)
        _ = try await each(Array(plan.trainees.indices), "assessments and reviews", progress) { index in
            let trainer = Self.caller(trainers[plan.trainerIndex(of: index)], roles: [.trainer])
            _ = try await assessments.create(portfolios[index], SeedPlan.assessment(on: today), caller: trainer)
            _ = try await reviews.create(portfolios[index], SeedPlan.review(on: today), caller: trainer)
        }
        report.assessments = trainees.count
        report.progressReviews = trainees.count
        report.sampleTrainee = plan.trainees[0].email
        report.sampleTrainer = plan.trainers[0].email
        report.sampleCoordinator = plan.coordinators[0].email
        return report
    }

    /// The seed acts as each person with the token it issued them, so access-log rows name a
    /// real token.
    private static func caller(_ issued: IssuedToken, roles: Set<Role>) -> Caller {
        Caller(
            principal: .person(issued.token.ownerPersonID, roles: roles),
            tokenID: issued.token.id,
            scopes: issued.token.scopes,
            requestID: "seed",
            clientIP: nil
        )
    }

    /// `work` for every item, `concurrency` at a time, results in the items' order.
    private func each<Item: Sendable, Result: Sendable>(
        _ items: [Item],
        _ phase: String,
        _ progress: Progress,
        _ work: @escaping @Sendable (Item) async throws -> Result
    ) async throws -> [Result] {
        var results = [Result?](repeating: nil, count: items.count)
        var done = 0
        try await withThrowingTaskGroup(of: (Int, Result).self) { group in
            var next = 0
            func start() {
                let index = next
                next += 1
                group.addTask { (index, try await work(items[index])) }
            }
            while next < min(concurrency, items.count) { start() }
            while let (index, result) = try await group.next() {
                results[index] = result
                done += 1
                progress(phase, done, items.count)
                if next < items.count { start() }
            }
        }
        return results.map { $0! }
    }
}

extension APIToken {
    /// The person a personal token belongs to; the seed only issues personal tokens.
    fileprivate var ownerPersonID: PersonID {
        guard case .person(let id) = owner else { preconditionFailure("the seed issues personal tokens only") }
        return id
    }
}
