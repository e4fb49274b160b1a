import DossierAPI
import DossierCore

extension APIHandler {
    func listSupervisions(_ input: Operations.ListSupervisions.Input) async throws -> Operations.ListSupervisions.Output
    {
        let query = input.query
        let page = try await supervisions.list(
            supervisor: try Self.id(query: query.supervisorId, "supervisor_id"),
            trainee: try Self.id(query: query.traineeId, "trainee_id"),
            activeOnly: query.active ?? false,
            updatedSince: query.updatedSince,
            page: try paging.request(limit: query.limit, cursor: query.cursor),
            caller: try currentCaller()
        )
        let items = page.items.map(Components.Schemas.Supervision.init)
        return .ok(.init(body: .json(.init(items: items, nextCursor: paging.next(page)))))
    }

    func createSupervision(
        _ input: Operations.CreateSupervision.Input
    ) async throws -> Operations.CreateSupervision.Output {
        guard case .json(let body) = input.body else { throw Self.unsupportedBody }
        let supervision = try await supervisions.create(
            .init(
                kind: body.kind,
                supervisorID: body.supervisorId,
                traineeID: body.traineeId,
                validFrom: body.validFrom,
                validUntil: body.validUntil
            ),
            caller: try currentCaller()
        )
        return .created(.init(body: .json(.init(supervision))))
    }
}
