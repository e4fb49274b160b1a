import Foundation

/// How a caller stands to a portfolio or one of its entries, the rule that lets them act, and
/// the access-log row that records it: shared by every service that touches a portfolio, so
/// the download window, the draft rule and the logging are decided in one place.
struct PortfolioAccess: Sendable {
    private let portfolios = PortfolioRepository()
    private let entries = EntryRepository()
    private let supervisions = SupervisionRepository()

    /// The trainee is refused (410) once their download window has closed.
    func authorize(
        _ operation: APIOperation,
        _ portfolio: Portfolio,
        caller: Caller,
        now: Date,
        on connection: DatabaseConnection
    ) async throws -> PortfolioGrant {
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
                slug: .downloadWindowClosed,
                detail:
                    "Your download window closed on \(windows.downloadUntil); the portfolio is no longer available to you."
            )
        }
        return PortfolioGrant(portfolio: portfolio, relation: relation, rule: rule, caller: caller, now: now)
    }

    /// The portfolio with `id`, authorised for `operation`.
    func portfolio(
        _ id: Portfolio.ID,
        for operation: APIOperation,
        caller: Caller,
        now: Date,
        on connection: DatabaseConnection
    ) async throws -> PortfolioGrant {
        guard let portfolio = try await portfolios.find(id, on: connection) else {
            throw DossierError.notFound("portfolio")
        }
        return try await authorize(operation, portfolio, caller: caller, now: now, on: connection)
    }

    /// The entry with `id` and the grant to its portfolio, authorised for `operation`; a draft
    /// exists only for its trainee (404 for everyone else).
    func entry(
        _ id: Entry.ID,
        for operation: APIOperation,
        caller: Caller,
        now: Date,
        on connection: DatabaseConnection
    ) async throws -> (entry: Entry, grant: PortfolioGrant) {
        guard let entry = try await entries.find(id, on: connection) else { throw DossierError.notFound("entry") }
        let grant = try await portfolio(entry.portfolioID, for: operation, caller: caller, now: now, on: connection)
        guard entry.shared || grant.relation == .own else { throw DossierError.notFound("entry") }
        return (entry, grant)
    }
}

/// A caller's access to one portfolio as the policy granted it: the portfolio, how the caller
/// stands to its trainee, the rule that allowed the operation, and the moment, which is all the
/// access-log row of the request needs.
struct PortfolioGrant: Sendable {
    let portfolio: Portfolio
    let relation: Relation
    let rule: String
    let caller: Caller
    let now: Date

    /// The access-log row for the trainee whose portfolio the caller touched: `resource` with `id`.
    func log(_ action: AccessAction, _ resource: String, id: UUID, on connection: DatabaseConnection) async throws {
        try await AccessLogRepository().append(
            AccessLogEntry.entries(
                action,
                by: caller,
                subjects: [(portfolio.traineeID, id)],
                resourceType: resource,
                rule: rule,
                at: now
            ),
            on: connection
        )
    }
}

extension Portfolio {
    /// Writing is for training time: a completed portfolio is kept, not added to (409).
    func requireActive(on today: CalendarDate, refusing what: String) throws(DossierError) {
        guard status(on: today) == .active else {
            throw DossierError(.conflict, slug: .portfolioCompleted, detail: "Training has ended; \(what).")
        }
    }
}
