import Foundation
import Logging

/// Supervisions: trainer, stand-in trainer, teacher or internship supervisor of a trainee for a
/// period. They decide who may read a portfolio, so only coordinators and admins make them.
public struct SupervisionService: Sendable {
    private let database: Database
    private let clock: any WallClock
    private let logger: Logger
    private let people = PersonRepository()
    private let supervisions = SupervisionRepository()

    public init(database: Database, clock: any WallClock, logger: Logger) {
        self.database = database
        self.clock = clock
        self.logger = logger
    }

    public struct Input: Sendable {
        public var kind: String
        public var supervisorID: String
        public var traineeID: String
        public var validFrom: String
        public var validUntil: String?

        public init(kind: String, supervisorID: String, traineeID: String, validFrom: String, validUntil: String?) {
            self.kind = kind
            self.supervisorID = supervisorID
            self.traineeID = traineeID
            self.validFrom = validFrom
            self.validUntil = validUntil
        }
    }

    public func create(_ input: Input, caller: Caller) async throws -> Supervision {
        _ = try AccessPolicy.decide(.createSupervision, caller: caller).rule(or: "supervision")
        var errors: [FieldError] = []
        let kind = SupervisionKind(rawValue: input.kind)
        if kind == nil {
            let kinds = SupervisionKind.allCases.map(\.rawValue).joined(separator: ", ")
            errors.append(FieldError("/kind", "must be one of \(kinds)"))
        }
        let supervisorID = PersonID(input.supervisorID)
        if supervisorID == nil { errors.append(FieldError("/supervisor_id", "must be a UUID")) }
        let traineeID = PersonID(input.traineeID)
        if traineeID == nil { errors.append(FieldError("/trainee_id", "must be a UUID")) }
        let from = PersonRules.date(input.validFrom, pointer: "/valid_from", into: &errors)
        var until: CalendarDate?
        if let text = input.validUntil {
            until = PersonRules.date(text, pointer: "/valid_until", into: &errors)
            if let from, let until, until < from {
                errors.append(FieldError("/valid_until", "must not be before valid_from"))
            }
        }
        guard errors.isEmpty, let kind, let supervisorID, let traineeID, let from else {
            throw DossierError.validation(errors)
        }
        let now = clock.now()
        let supervision = Supervision(
            id: .generate(),
            kind: kind,
            supervisorID: supervisorID,
            traineeID: traineeID,
            validFrom: from,
            validUntil: until,
            createdAt: now,
            updatedAt: now
        )
        do {
            return try await database.transaction { connection in
                let supervisor = try await people.find(supervisorID, on: connection)
                let trainee = try await people.find(traineeID, on: connection)
                var errors: [FieldError] = []
                if supervisor == nil {
                    errors.append(FieldError("/supervisor_id", "names no person"))
                } else if supervisor?.roles.contains(kind.role) == false {
                    errors.append(FieldError("/supervisor_id", "does not have the \(kind.role.rawValue) role"))
                }
                if trainee == nil {
                    errors.append(FieldError("/trainee_id", "names no person"))
                } else if trainee?.trainee == nil {
                    errors.append(FieldError("/trainee_id", "is not a trainee; only trainees are supervised"))
                }
                if supervisorID == traineeID {
                    errors.append(FieldError("/supervisor_id", "cannot supervise themself"))
                }
                guard errors.isEmpty else { throw DossierError.validation(errors) }
                try await supervisions.insert(supervision, on: connection)
                return supervision
            }
        } catch let error where ConstraintViolation(error)?.kind == .exclusion {
            throw DossierError(
                .conflict,
                slug: .overlappingSupervision,
                detail: "This supervisor already supervises this trainee as \(kind.rawValue) in an overlapping period.",
                fieldErrors: [
                    FieldError("/valid_from", "overlaps an existing \(kind.rawValue) supervision of this pair")
                ]
            )
        }
    }

    /// Coordinators, admins and service clients see every supervision; a supervisor their own,
    /// a trainee theirs.
    public func list(
        supervisor: PersonID?,
        trainee: PersonID?,
        activeOnly: Bool,
        updatedSince: Date?,
        page: PageRequest,
        caller: Caller
    ) async throws -> Page<Supervision> {
        let rule = try AccessPolicy.decide(.listSupervisions, caller: caller).rule(or: "supervision")
        var supervisor = supervisor
        var trainee = trainee
        switch rule {
        case "supervisor" where !caller.has(.trainee): supervisor = caller.personID
        case "supervisor", "own":
            if supervisor != caller.personID { trainee = caller.personID }
        default: break
        }
        let day = activeOnly ? CalendarDate(clock.now()) : nil
        return try await database.read { connection in
            Page(
                fetched: try await supervisions.list(
                    supervisor: supervisor,
                    trainee: trainee,
                    activeOn: day,
                    updatedSince: updatedSince,
                    page: page,
                    on: connection
                ),
                limit: page.limit
            ) { $0.id.uuid }
        }
    }
}
