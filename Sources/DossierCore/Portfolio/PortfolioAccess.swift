import Foundation

/// How a caller stands to a portfolio and the rule that lets them act on it, shared by every
/// service that touches a portfolio: the trainee is refused after the download window closes.
struct PortfolioAccess: Sendable {
    private let supervisions = SupervisionRepository()

    func authorize(
        _ operation: APIOperation,
        _ portfolio: Portfolio,
        caller: Caller,
        now: Date,
        on connection: DatabaseConnection
    ) async throws -> (relation: Relation, rule: String) {
        let today = CalendarDate(now)
        var relation = Relation.unrelated
        if caller.personID == portfolio.traineeID {
            relation = .own
        } else if let callerID = caller.personID,
            let kind = try await supervisions.currentKind(
                of: callerID,
                over: portfolio.traineeID,
                on: today,
                connection: connection
            )
        {
            relation = .supervises(kind)
        }
        let rule = try AccessPolicy.decide(operation, caller: caller, relation: relation).rule(or: "portfolio")
        if relation == .own, let windows = portfolio.windows, today > windows.downloadUntil {
            throw DossierError(
                .gone,
                slug: "download-window-closed",
                detail:
                    "Your download window closed on \(windows.downloadUntil); the portfolio is no longer available to you."
            )
        }
        return (relation, rule)
    }
}
