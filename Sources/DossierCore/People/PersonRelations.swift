import Foundation

/// How a caller stands to a person: themself, the trainee's supervisor today, or neither. The
/// one answer for every operation that is about a person's record (`getPerson`, and the IPO
/// enrollments and requirement).
struct PersonRelations: Sendable {
    private let supervisions = SupervisionRepository()

    func relation(
        of caller: Caller,
        to person: Person,
        now: Date,
        on connection: DatabaseConnection
    ) async throws
        -> Relation
    {
        guard let callerID = caller.personID else { return .unrelated }
        if callerID == person.id { return .own }
        guard person.trainee != nil, !caller.roles.isDisjoint(with: SupervisionKind.supervisingRoles) else {
            return .unrelated
        }
        let kind = try await supervisions.currentKind(
            of: callerID,
            over: person.id,
            on: CalendarDate(now),
            connection: connection
        )
        return kind.map(Relation.supervises) ?? .unrelated
    }
}
