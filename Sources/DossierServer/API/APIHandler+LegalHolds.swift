import DossierAPI
import DossierCore

extension APIHandler {
    func listLegalHolds(_ input: Operations.ListLegalHolds.Input) async throws -> Operations.ListLegalHolds.Output {
        let query = input.query
        let page = try await legalHolds.list(
            active: query.active,
            page: try paging.request(limit: query.limit, cursor: query.cursor),
            caller: try currentCaller()
        )
        let items = page.items.map(Components.Schemas.LegalHold.init)
        return .ok(.init(body: .json(.init(items: items, nextCursor: paging.next(page)))))
    }

    func createLegalHold(_ input: Operations.CreateLegalHold.Input) async throws -> Operations.CreateLegalHold.Output {
        guard case .json(let body) = input.body else { throw Self.unsupportedBody }
        let hold = try await legalHolds.place(
            LegalHoldInput(
                scope: body.scope,
                subjectID: body.subjectId,
                reason: body.reason,
                caseReference: body.caseReference
            ),
            caller: try currentCaller()
        )
        return .created(.init(body: .json(.init(hold))))
    }

    func getLegalHold(_ input: Operations.GetLegalHold.Input) async throws -> Operations.GetLegalHold.Output {
        let hold = try await legalHolds.get(try Self.id(input.path.id, "legal hold"), caller: try currentCaller())
        return .ok(.init(body: .json(.init(hold))))
    }

    func releaseLegalHold(_ input: Operations.ReleaseLegalHold.Input) async throws -> Operations.ReleaseLegalHold.Output
    {
        guard case .json(let body) = input.body else { throw Self.unsupportedBody }
        let hold = try await legalHolds.release(
            try Self.id(input.path.id, "legal hold"),
            reason: body.reason,
            caller: try currentCaller()
        )
        return .ok(.init(body: .json(.init(hold))))
    }
}
