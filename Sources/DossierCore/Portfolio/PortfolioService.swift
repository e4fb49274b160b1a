import Foundation
import Logging

/// Portfolios: who may see one, and the six-month download window of the trainee themself.
public struct PortfolioService: Sendable {
    private let database: Database
    private let clock: any WallClock
    private let portfolios = PortfolioRepository()
    private let access = PortfolioAccess()

    public init(database: Database, clock: any WallClock) {
        self.database = database
        self.clock = clock
    }

    public func get(_ id: Portfolio.ID, caller: Caller) async throws -> Portfolio {
        let now = clock.now()
        return try await database.transaction { connection in
            let grant = try await access.portfolio(id, for: .getPortfolio, caller: caller, now: now, on: connection)
            try await grant.log(.read, "portfolio", id: id.uuid, on: connection)
            return grant.portfolio
        }
    }

    public func get(trainee: PersonID, caller: Caller) async throws -> Portfolio {
        let now = clock.now()
        return try await database.transaction { connection in
            guard let portfolio = try await portfolios.find(trainee: trainee, on: connection) else {
                throw DossierError.notFound("portfolio")
            }
            let grant = try await access.authorize(
                .getPersonPortfolio,
                portfolio,
                caller: caller,
                now: now,
                on: connection
            )
            try await grant.log(.read, "portfolio", id: portfolio.id.uuid, on: connection)
            return portfolio
        }
    }
}
