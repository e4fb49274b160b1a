/// Who starts or approves retention: an admin over the API, an admin at the server's shell (the
/// CLI names them by e-mail), or the worker's daily schedule.
public enum RetentionActor: Sendable {
    case caller(Caller)
    case cli(PersonID)
    /// The server's shell without a named admin: may read runs and certificates, never act.
    case shell
    case scheduler

    var trigger: RetentionRun.Trigger {
        switch self {
        case .caller: .admin
        case .cli, .shell: .cli
        case .scheduler: .scheduler
        }
    }

    /// The admin acting, after checking they may; nil for the scheduler.
    func admin(
        for operation: APIOperation,
        people: PersonRepository,
        on connection: DatabaseConnection
    ) async throws -> PersonID? {
        switch self {
        case .caller(let caller):
            _ = try AccessPolicy.decide(operation, caller: caller).rule(or: "retention run")
            guard let id = caller.personID else {
                throw DossierError.forbidden(
                    "Retention is run by a person with the admin role, not by a service client."
                )
            }
            return id
        case .cli(let id):
            guard let person = try await people.find(id, on: connection), person.roles.contains(.admin) else {
                throw DossierError.forbidden("Only a person with the admin role may run or approve retention.")
            }
            return id
        case .shell:
            let reads: Set<APIOperation> = [
                .getRetentionRun, .listRetentionRuns, .listRetentionCandidates, .getRetentionCertificate,
            ]
            guard reads.contains(operation) else {
                throw DossierError.forbidden("Name the admin who acts with --admin EMAIL.")
            }
            return nil
        case .scheduler:
            return nil
        }
    }
}
