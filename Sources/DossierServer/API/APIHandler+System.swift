import DossierAPI
import DossierCore

extension APIHandler {
    func getHealth(_ input: Operations.GetHealth.Input) async throws -> Operations.GetHealth.Output {
        .ok(.init(body: .json(.init(status: .ok))))
    }

    func getReadiness(_ input: Operations.GetReadiness.Input) async throws -> Operations.GetReadiness.Output {
        switch await readiness.check() {
        case .ready(let plan):
            return .ok(.init(body: .json(.init(status: .ready, migrations: .init(plan)))))
        case .notReady(let reason):
            let problem = ProblemDetails(.serviceUnavailable, detail: reason)
            return .serviceUnavailable(.init(body: .applicationProblemJson(.init(problem))))
        }
    }
}
