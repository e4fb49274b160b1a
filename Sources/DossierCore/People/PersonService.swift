import Foundation
import Logging

/// People: who may create, read and change whom, and the access-log rows reads of trainees
/// leave behind, written in the same transaction as the data is read.
public struct PersonService: Sendable {
    let database: Database
    let clock: any WallClock
    private let logger: Logger
    let people = PersonRepository()
    private let supervisions = SupervisionRepository()
    private let accessLog = AccessLogRepository()
    private let completions = CompletionRepository()

    public init(database: Database, clock: any WallClock, logger: Logger) {
        self.database = database
        self.clock = clock
        self.logger = logger
    }

    public func create(_ input: PersonInput, caller: Caller) async throws -> Person {
        let rule = try AccessPolicy.decide(.createPerson, caller: caller).rule(or: "person")
        let new = try PersonRules.validate(input)
        if let refusal = RoleGrants.refusal(from: [], to: new.roles, caller: caller, pointer: "/roles") {
            throw RoleGrants.forbidden([refusal])
        }
        let now = clock.now()
        let id = PersonID.generate()
        do {
            return try await database.transaction { connection in
                try await people.insert(new, id: id, at: now, on: connection)
                guard let person = try await people.find(id, on: connection) else {
                    throw DossierError.notFound("person")
                }
                try await logAccess([person], action: .create, rule: rule, caller: caller, on: connection)
                return person
            }
        } catch let error where ConstraintViolation(error) != nil {
            throw Self.describe(ConstraintViolation(error), email: new.email)
        }
    }

    /// One person; a read of a trainee by someone else is access-logged in the same transaction.
    public func get(_ id: PersonID, caller: Caller) async throws -> Person {
        try await database.transaction { connection in
            guard let person = try await people.find(id, on: connection) else { throw DossierError.notFound("person") }
            let relation = try await relation(of: caller, to: person, on: connection)
            let rule = try AccessPolicy.decide(.getPerson, caller: caller, relation: relation).rule(or: "person")
            try await logAccess([person], action: .read, rule: rule, caller: caller, on: connection)
            return person
        }
    }

    public func list(_ filter: PersonRepository.Filter, page: PageRequest, caller: Caller) async throws -> Page<Person>
    {
        let rule = try AccessPolicy.decide(.listPeople, caller: caller).rule(or: "person")
        var filter = filter
        if rule == "supervisor", let supervisor = caller.personID {
            filter.supervisedBy = (supervisor, CalendarDate(clock.now()))
        }
        return try await database.transaction { connection in
            let page = Page(fetched: try await people.list(filter, page: page, on: connection), limit: page.limit) {
                $0.id.uuid
            }
            try await logAccess(page.items, action: .read, rule: rule, caller: caller, on: connection)
            return page
        }
    }

    /// Applies a merge patch if `ifMatch` is the person's current ETag (412 when stale, 428 when missing).
    public func update(_ id: PersonID, patch: PersonPatch, ifMatch: String?, caller: Caller) async throws -> Person {
        let now = clock.now()
        do {
            return try await database.transaction { connection in
                guard let person = try await people.find(id, on: connection, forUpdate: true) else {
                    throw DossierError.notFound("person")
                }
                let relation = try await relation(of: caller, to: person, on: connection)
                let rule = try AccessPolicy.decide(.updatePerson, caller: caller, relation: relation).rule(or: "person")
                try Preconditions.check(ifMatch: ifMatch, etag: person.etag)
                let updated = try patch.apply(to: person, rule: rule, callerIsSubject: relation == .own)
                guard try await people.update(updated, expectedVersion: person.version, at: now, on: connection),
                    let stored = try await people.find(id, on: connection)
                else { throw Preconditions.stale }
                try await logAccess([stored], action: .update, rule: rule, caller: caller, on: connection)
                return stored
            }
        } catch let error where ConstraintViolation(error) != nil {
            throw Self.describe(ConstraintViolation(error), email: nil)
        }
    }

    /// Records the end of training, or corrects it (coordinators only, with a reason kept in the history).
    public func recordCompletion(
        _ id: PersonID,
        completedAt text: String,
        outcome outcomeText: String,
        reason: String?,
        caller: Caller
    ) async throws -> Person {
        let now = clock.now()
        return try await database.transaction { connection in
            guard let person = try await people.find(id, on: connection, forUpdate: true) else {
                throw DossierError.notFound("person")
            }
            let relation = try await relation(of: caller, to: person, on: connection)
            let rule = try AccessPolicy.decide(.recordCompletion, caller: caller, relation: relation).rule(or: "person")
            guard var trainee = person.trainee else {
                throw DossierError.validation([
                    FieldError("/", "the person is not a trainee; only trainees complete training")
                ])
            }
            let completion = try CompletionRules.validate(
                completedAt: text,
                outcome: outcomeText,
                reason: reason,
                trainee: trainee,
                today: CalendarDate(now),
                correctedByCoordinator: rule == "coordinator"
            )
            let previous = try await completions.lastEvent(of: id, on: connection)
            trainee.status = completion.outcome == .completed ? .completed : .stopped
            trainee.completedAt = completion.date
            var updated = person
            updated.trainee = trainee
            _ = try await people.update(updated, expectedVersion: person.version, at: now, on: connection)
            try await completions.append(
                completion,
                of: id,
                corrects: previous,
                by: caller,
                at: now,
                on: connection
            )
            try await accessLog.append(
                AccessLogEntry.entries(
                    .update,
                    by: caller,
                    subjects: [(id, id.uuid)],
                    resourceType: "completion",
                    rule: rule,
                    reason: completion.reason,
                    at: now
                ),
                on: connection
            )
            guard let stored = try await people.find(id, on: connection) else { throw DossierError.notFound("person") }
            return stored
        }
    }

    /// Who read this person's dossier data. Reading the log is itself logged.
    public func accessLog(
        of id: PersonID,
        from: Date?,
        until: Date?,
        page: PageRequest,
        caller: Caller
    ) async throws -> Page<AccessLogEntry> {
        let now = clock.now()
        return try await database.transaction { connection in
            guard let person = try await people.find(id, on: connection) else { throw DossierError.notFound("person") }
            let relation = try await relation(of: caller, to: person, on: connection)
            let rule = try AccessPolicy.decide(.listAccessLog, caller: caller, relation: relation).rule(or: "person")
            let entries = try await accessLog.list(subject: id, from: from, until: until, page: page, on: connection)
            try await accessLog.append(
                AccessLogEntry.entries(
                    .read,
                    by: caller,
                    subjects: [(id, nil)],
                    resourceType: "access_log",
                    rule: rule,
                    at: now
                ),
                on: connection
            )
            return Page(fetched: entries, limit: page.limit) { $0.id.uuid }
        }
    }

    /// The caller, and the trainees they supervise today.
    public func me(caller: Caller) async throws -> (person: Person?, supervised: [Supervision]) {
        guard let personID = caller.personID else { return (nil, []) }
        return try await database.read { connection in
            let person = try await people.find(personID, on: connection)
            let page = try PageRequest(limit: PageRequest.maximumLimit, after: nil)
            let supervised = try await supervisions.list(
                supervisor: personID,
                trainee: nil,
                activeOn: CalendarDate(clock.now()),
                updatedSince: nil,
                page: page,
                on: connection
            )
            return (person, supervised)
        }
    }

    func relation(of caller: Caller, to person: Person, on connection: DatabaseConnection) async throws -> Relation {
        try await PersonRelations().relation(of: caller, to: person, now: clock.now(), on: connection)
    }

    /// One access-log row per trainee among `people` (other people's records are not dossier data).
    func logAccess(
        _ people: [Person],
        action: AccessAction,
        rule: String,
        caller: Caller,
        on connection: DatabaseConnection
    ) async throws {
        let trainees = people.filter { $0.roles.contains(.trainee) }.map { ($0.id, Optional($0.id.uuid)) }
        try await accessLog.append(
            AccessLogEntry.entries(
                action,
                by: caller,
                subjects: trainees,
                resourceType: "person",
                rule: rule,
                at: clock.now()
            ),
            on: connection
        )
    }

    static func describe(_ violation: ConstraintViolation?, email: String?) -> DossierError {
        switch (violation?.kind, violation?.constraint) {
        case (.unique, "people_email_key"):
            DossierError(
                .conflict,
                slug: .duplicateEmail,
                detail: "A person with this e-mail address exists already.",
                fieldErrors: [FieldError("/email", "is taken")]
            )
        case (.foreignKey, _):
            DossierError.validation([FieldError("/trainee/group_id", "names no existing group")])
        default:
            DossierError.validation([
                FieldError("/", "breaks a rule of the database (\(violation?.constraint ?? "unknown"))")
            ])
        }
    }
}
