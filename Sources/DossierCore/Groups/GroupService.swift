import Foundation
import Logging

/// Year groups and the flex group, with their teachers; members are the trainees whose profile
/// names the group.
public struct GroupService: Sendable {
    private let database: Database
    private let clock: any WallClock
    private let logger: Logger
    private let groups = GroupRepository()
    private let people = PersonRepository()

    public init(database: Database, clock: any WallClock, logger: Logger) {
        self.database = database
        self.clock = clock
        self.logger = logger
    }

    public struct Input: Sendable {
        public var name: String
        public var kind: String
        public var trainingYear: Int
        public var site: String
        public var teacherIDs: [String]

        public init(name: String, kind: String, trainingYear: Int, site: String, teacherIDs: [String]) {
            self.name = name
            self.kind = kind
            self.trainingYear = trainingYear
            self.site = site
            self.teacherIDs = teacherIDs
        }
    }

    public func create(_ input: Input, caller: Caller) async throws -> Group {
        _ = try AccessPolicy.decide(.createGroup, caller: caller).rule(or: "group")
        var errors: [FieldError] = []
        let name = PersonRules.validName(input.name, pointer: "/name", into: &errors)
        let kind = Group.Kind(rawValue: input.kind)
        if kind == nil { errors.append(FieldError("/kind", "must be year or flex")) }
        if !(1...3).contains(input.trainingYear) { errors.append(FieldError("/training_year", "must be 1, 2 or 3")) }
        let site = Site(rawValue: input.site)
        if site == nil { errors.append(FieldError("/site", "must be leiden or den_haag")) }
        let teachers = input.teacherIDs.enumerated().compactMap { index, text in
            let id = PersonID(text)
            if id == nil { errors.append(FieldError("/teacher_ids/\(index)", "must be a UUID")) }
            return id
        }
        guard errors.isEmpty, let name, let kind, let site else { throw DossierError.validation(errors) }
        let now = clock.now()
        let group = Group(
            id: .generate(),
            name: name,
            kind: kind,
            trainingYear: input.trainingYear,
            site: site,
            teacherIDs: Array(Set(teachers)).sorted(),
            memberIDs: [],
            createdAt: now,
            updatedAt: now
        )
        do {
            return try await database.transaction { connection in
                var errors: [FieldError] = []
                for (index, id) in teachers.enumerated() {
                    let teacher = try await people.find(id, on: connection)
                    if teacher?.roles.contains(.teacher) != true {
                        errors.append(FieldError("/teacher_ids/\(index)", "names no person with the teacher role"))
                    }
                }
                guard errors.isEmpty else { throw DossierError.validation(errors) }
                try await groups.insert(group, on: connection)
                return group
            }
        } catch let error where ConstraintViolation(error)?.kind == .unique {
            throw DossierError.duplicateName("group", name)
        }
    }

    public func list(page: PageRequest, caller: Caller) async throws -> Page<Group> {
        _ = try AccessPolicy.decide(.listGroups, caller: caller).rule(or: "group")
        return try await database.read { connection in
            Page(fetched: try await groups.list(page: page, on: connection), limit: page.limit) { $0.id.uuid }
        }
    }

    public func get(_ id: GroupID, caller: Caller) async throws -> Group {
        _ = try AccessPolicy.decide(.getGroup, caller: caller).rule(or: "group")
        let page = try PageRequest(limit: 1, after: nil)
        guard let group = try await database.read({ try await groups.list(page: page, id: id, on: $0) }).first
        else { throw DossierError.notFound("group") }
        return group
    }
}
