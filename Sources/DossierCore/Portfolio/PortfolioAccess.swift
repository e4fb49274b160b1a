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
        var supervision: SupervisionKind?
        if let callerID = caller.personID, callerID != portfolio.traineeID {
            supervision = try await supervisions.currentKind(
                of: callerID,
                over: portfolio.traineeID,
                on: CalendarDate(now),
                connection: connection
            )
        }
        return try Self.decide(operation, portfolio, supervision: supervision, caller: caller, now: now)
    }

    /// The portfolio with `id`, authorised for `operation`; found with the caller's supervision
    /// of its trainee in one statement.
    func portfolio(
        _ id: Portfolio.ID,
        for operation: APIOperation,
        caller: Caller,
        now: Date,
        on connection: DatabaseConnection
    ) async throws -> PortfolioGrant {
        guard
            let (portfolio, supervision) = try await portfolios.find(
                id,
                supervisor: caller.personID,
                on: CalendarDate(now),
                connection: connection
            )
        else { throw DossierError.notFound("portfolio") }
        return try Self.decide(operation, portfolio, supervision: supervision, caller: caller, now: now)
    }

    private static func decide(
        _ operation: APIOperation,
        _ portfolio: Portfolio,
        supervision: SupervisionKind?,
        caller: Caller,
        now: Date
    ) throws -> PortfolioGrant {
        var relation = Relation.unrelated
        if caller.personID == portfolio.traineeID {
            relation = .own
        } else if let supervision {
            relation = .supervises(supervision)
        }
        let rule = try AccessPolicy.decide(operation, caller: caller, relation: relation).rule(or: "portfolio")
        if relation == .own, let windows = portfolio.windows, CalendarDate(now) > windows.downloadUntil {
            throw DossierError(
                .gone,
                slug: .downloadWindowClosed,
                detail:
                    "Your download window closed on \(windows.downloadUntil); the portfolio is no longer available to you."
            )
        }
        return PortfolioGrant(portfolio: portfolio, relation: relation, rule: rule, caller: caller, now: now)
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
