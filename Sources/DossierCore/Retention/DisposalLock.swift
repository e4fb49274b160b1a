/// The locks one disposal takes, in the one order every disposal takes them, for a run and for a
/// reapply alike: bounded lock waits and statements, the shared legal-hold lock (a hold being
/// placed waits for this disposal and blocks the next), the trainee's person row (as every writer
/// of a trainee locks it first, so a completion correction cannot deadlock with a purge), then the
/// portfolio with its profile. Row locks skip what someone else holds.
struct DisposalLock: Sendable {
    enum Result {
        case locked(RetentionSubject)
        /// Someone else holds the trainee's person row.
        case traineeBusy
        /// The portfolio is held by someone else, already disposed of, or gone.
        case portfolioUnavailable
    }

    private let disposals = DisposalRepository()
    private let holds = LegalHoldRepository()
    private let subjects = RetentionSubjectRepository()

    func take(portfolio: Portfolio.ID, trainee: PersonID, on connection: DatabaseConnection) async throws -> Result {
        try await disposals.limitStatementTimes(on: connection)
        try await holds.lockForDeletion(on: connection)
        guard try await subjects.lockPerson(trainee, on: connection) else { return .traineeBusy }
        guard let subject = try await subjects.lockSubject(portfolio, on: connection) else {
            return .portfolioUnavailable
        }
        return .locked(subject)
    }
}
