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
        try await read(.getPortfolio, caller: caller) { try await portfolios.find(id, on: $0) }
    }

    public func get(trainee: PersonID, caller: Caller) async throws -> Portfolio {
        try await read(.getPersonPortfolio, caller: caller) { try await portfolios.find(trainee: trainee, on: $0) }
    }

    private func read(
        _ operation: APIOperation,
        caller: Caller,
        _ find: (DatabaseConnection) async throws -> Portfolio?
    ) async throws -> Portfolio {
        let now = clock.now()
        return try await database.transaction { connection in
            guard let portfolio = try await find(connection) else { throw DossierError.notFound("portfolio") }
            let grant = try await access.authorize(operation, portfolio, caller: caller, now: now, on: connection)
            try await grant.log(.read, "portfolio", id: portfolio.id.uuid, on: connection)
            return portfolio
        }
    }
}
