import DossierAPI
import DossierCore
import Foundation

extension APIHandler {
    func getPortfolio(_ input: Operations.GetPortfolio.Input) async throws -> Operations.GetPortfolio.Output {
        let portfolio = try await portfolios.get(try Self.id(input.path.id, "portfolio"), caller: try currentCaller())
        return .ok(.init(body: .json(.init(portfolio, today: CalendarDate(clock.now())))))
    }

    func getPersonPortfolio(
        _ input: Operations.GetPersonPortfolio.Input
    ) async throws -> Operations.GetPersonPortfolio.Output {
        let portfolio = try await portfolios.get(
            trainee: try Self.id(input.path.id, "portfolio"),
            caller: try currentCaller()
        )
        return .ok(.init(body: .json(.init(portfolio, today: CalendarDate(clock.now())))))
    }
}
