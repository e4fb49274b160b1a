import DossierAPI
import DossierCore

extension APIHandler {
    func listSupervisions(_ input: Operations.ListSupervisions.Input) async throws -> Operations.ListSupervisions.Output
    {
        let query = input.query
        let supervisor = try query.supervisorId.map { (text) throws(DossierError) -> PersonID in
            guard let id = PersonID(text) else { throw Self.invalidParameter("supervisor_id", "must be a UUID") }
            return id
        }
        let trainee = try query.traineeId.map { (text) throws(DossierError) -> PersonID in
            guard let id = PersonID(text) else { throw Self.invalidParameter("trainee_id", "must be a UUID") }
            return id
        }
        let page = try await supervisions.list(
            supervisor: supervisor,
            trainee: trainee,
            activeOnly: query.active ?? false,
            updatedSince: query.updatedSince,
            page: try paging.request(limit: query.limit, cursor: query.cursor),
            caller: try currentCaller()
        )
        paging.link(
            page,
            path: "/v1/supervisions",
            query: [
                "limit": query.limit.map(String.init), "supervisor_id": query.supervisorId,
                "trainee_id": query.traineeId,
                "active": query.active.map(String.init),
                "updated_since": query.updatedSince.map { $0.formatted(.iso8601) },
            ]
        )
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: page.items.map(Components.Schemas.Supervision.init),
                        nextCursor: paging.nextCursor(page)
                    )
                )
            )
        )
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
