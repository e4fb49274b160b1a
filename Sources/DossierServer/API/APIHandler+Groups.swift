import DossierAPI
import DossierCore

extension APIHandler {
    func listGroups(_ input: Operations.ListGroups.Input) async throws -> Operations.ListGroups.Output {
        let query = input.query
        let page = try await groups.list(
            page: try paging.request(limit: query.limit, cursor: query.cursor),
            caller: try currentCaller()
        )
        let items = page.items.map(Components.Schemas.Group.init)
        return .ok(.init(body: .json(.init(items: items, nextCursor: paging.next(page)))))
    }

    func createGroup(_ input: Operations.CreateGroup.Input) async throws -> Operations.CreateGroup.Output {
        guard case .json(let body) = input.body else { throw Self.unsupportedBody }
        let group = try await groups.create(
            .init(
                name: body.name,
                kind: body.kind,
                trainingYear: Int(body.trainingYear),
                site: body.site,
                teacherIDs: body.teacherIds ?? []
            ),
            caller: try currentCaller()
        )
        return .created(.init(body: .json(.init(group))))
    }

    func getGroup(_ input: Operations.GetGroup.Input) async throws -> Operations.GetGroup.Output {
        let group = try await groups.get(try Self.id(input.path.id, "group"), caller: try currentCaller())
        return .ok(.init(body: .json(.init(group))))
    }
}
