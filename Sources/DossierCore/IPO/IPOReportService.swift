import Foundation

/// What the IPO records add up to: a trainee's requirement, coordinators' compliance lists per
/// group and training year, and the enrollment statistics.
public struct IPOReportService: Sendable {
    let database: Database
    let clock: any WallClock
    private let people = PersonRepository()
    private let reports = IPOReportRepository()
    private let access = IPOPersonAccess()

    public init(database: Database, clock: any WallClock) {
        self.database = database
        self.clock = clock
    }

    public func requirement(of id: PersonID, caller: Caller) async throws -> IPORequirement {
        let now = clock.now()
        return try await database.transaction { connection in
            guard let person = try await people.find(id, on: connection) else { throw DossierError.notFound("person") }
            let relation = try await access.relation(of: caller, to: person, now: now, on: connection)
            let rule = try AccessPolicy.decide(.getIpoRequirement, caller: caller, relation: relation)
                .rule(or: "person")
            guard let trainee = person.trainee else {
                throw DossierError(
                    .notFound,
                    slug: .notFound,
                    detail: "This person is not a trainee; the IPO requirement is a trainee's."
                )
            }
            let participations = try await reports.participations(of: [id], on: connection)[id] ?? []
            try await access.log(
                [id],
                resourceType: "ipo_requirement",
                rule: rule,
                caller: caller,
                now: now,
                on: connection
            )
            return IPORequirementRule.evaluate(trainee, participations, now: now)
        }
    }

    /// Every active trainee of the group and year (either optional) with their requirement,
    /// counted per group and training year; `page` limits the rows listed (and access-logged),
    /// never the counts. A nil `page` lists every row (the CSV).
    public func compliance(
        group: GroupID?,
        trainingYear: Int?,
        status: IPORequirement.Status?,
        page: PageRequest?,
        caller: Caller
    ) async throws -> IPOCompliance {
        let rule = try AccessPolicy.decide(.getIpoCompliance, caller: caller).rule(or: "compliance")
        let now = clock.now()
        return try await database.transaction { connection in
            let trainees = try await reports.activeTrainees(group: group, trainingYear: trainingYear, on: connection)
            let participations = try await reports.participations(of: trainees.map(\.id), on: connection)
            let all = trainees.map { trainee in
                IPOCompliance.Row(
                    personID: trainee.id,
                    name: trainee.name,
                    groupID: trainee.profile.groupID,
                    groupName: trainee.groupName,
                    trainingYear: trainee.profile.trainingYear,
                    requirement: IPORequirementRule.evaluate(
                        trainee.profile,
                        participations[trainee.id] ?? [],
                        now: now
                    )
                )
            }
            let matching = all.filter { status == nil || $0.requirement.status == status }
            let after = matching.drop { row in
                page?.after.map { row.personID.uuid.uuidString <= $0.uuidString } ?? false
            }
            let listed = Page(
                fetched: Array(after.prefix((page?.limit ?? after.count) + 1)),
                limit: page?.limit ?? after.count
            ) {
                $0.personID.uuid
            }
            try await access.log(
                listed.items.map(\.personID),
                resourceType: "ipo_requirement",
                rule: rule,
                caller: caller,
                now: now,
                on: connection
            )
            return IPOCompliance(page: listed, summary: IPOCompliance.summarise(all))
        }
    }

    public func statistics(
        from: CalendarDate?,
        to: CalendarDate?,
        kind: IPOActivity.Kind?,
        caller: Caller
    ) async throws -> IPOStatistics {
        _ = try AccessPolicy.decide(.getIpoStatistics, caller: caller).rule(or: "statistics")
        let facts = try await database.read { connection in
            try await reports.statistics(from: from, to: to, kind: kind, on: connection)
        }
        return IPOStatistics.make(facts)
    }
}

/// The compliance list: who is satisfied, on track, at risk or has nothing planned.
public struct IPOCompliance: Sendable {
    public struct Row: Sendable {
        public let personID: PersonID
        public let name: String
        public let groupID: GroupID?
        public let groupName: String?
        public let trainingYear: Int
        public let requirement: IPORequirement
    }

    public struct Count: Sendable, Equatable {
        public let groupID: GroupID?
        public let groupName: String?
        public let trainingYear: Int
        public let trainees: Int
        public let byStatus: [IPORequirement.Status: Int]
    }

    public let page: Page<Row>
    public let summary: [Count]

    static func summarise(_ rows: [Row]) -> [Count] {
        let groups = Dictionary(grouping: rows) {
            "\($0.groupName ?? "")|\($0.groupID?.description ?? "")|\($0.trainingYear)"
        }
        return groups.keys.sorted().compactMap { key in
            guard let members = groups[key], let first = members.first else { return nil }
            return Count(
                groupID: first.groupID,
                groupName: first.groupName,
                trainingYear: first.trainingYear,
                trainees: members.count,
                byStatus: Dictionary(grouping: members, by: \.requirement.status).mapValues(\.count)
            )
        }
    }

    /// The rows as CSV for a spreadsheet, formulas defused.
    public var csv: String {
        let header = [
            "person_id", "name", "group", "training_year", "status", "mandatory_module", "extra_activity_required",
            "completed_electives", "planned_electives", "due_by",
        ]
        return page.items.reduce(into: CSVWriter.line(header)) { text, row in
            let requirement = row.requirement
            text += CSVWriter.line([
                row.personID.description, row.name, row.groupName ?? "", String(row.trainingYear),
                requirement.status.rawValue, requirement.mandatoryModule.rawValue,
                requirement.extraActivityRequired ? "yes" : "no", String(requirement.completedElectives.count),
                String(requirement.plannedElectives.count), requirement.dueBy.description,
            ])
        }
    }
}
