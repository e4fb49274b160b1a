import DossierAPI
import DossierCore

extension APIHandler {
    func listTokens(_ input: Operations.ListTokens.Input) async throws -> Operations.ListTokens.Output {
        let list = try await tokens.listPersonalTokens(caller: try currentCaller())
        return .ok(.init(body: .json(.init(items: list.map(Components.Schemas.Token.init)))))
    }

    func createToken(_ input: Operations.CreateToken.Input) async throws -> Operations.CreateToken.Output {
        guard case .json(let body) = input.body else { throw Self.unsupportedBody }
        let issued = try await tokens.createPersonalToken(
            name: body.name,
            scopes: body.scopes,
            expiresInDays: body.expiresInDays.map(Int.init),
            caller: try currentCaller()
        )
        return .created(.init(body: .json(.init(token: .init(issued.token), secret: issued.secret))))
    }

    func revokeToken(_ input: Operations.RevokeToken.Input) async throws -> Operations.RevokeToken.Output {
        try await tokens.revoke(try Self.id(input.path.id, "token"), caller: try currentCaller())
        return .noContent(.init())
    }

    func listServiceClients(
        _ input: Operations.ListServiceClients.Input
    ) async throws -> Operations.ListServiceClients.Output {
        let clients = try await tokens.listServiceClients(caller: try currentCaller())
        return .ok(.init(body: .json(.init(items: clients.map(Components.Schemas.ServiceClient.init)))))
    }

    func createServiceClient(
        _ input: Operations.CreateServiceClient.Input
    ) async throws -> Operations.CreateServiceClient.Output {
        guard case .json(let body) = input.body else { throw Self.unsupportedBody }
        let client = try await tokens.createServiceClient(
            name: body.name,
            scopes: body.scopes,
            caller: try currentCaller()
        )
        return .created(.init(body: .json(.init(client))))
    }

    func createServiceClientToken(
        _ input: Operations.CreateServiceClientToken.Input
    ) async throws -> Operations.CreateServiceClientToken.Output {
        guard case .json(let body) = input.body else { throw Self.unsupportedBody }
        let issued = try await tokens.createServiceClientToken(
            try Self.id(input.path.id, "service client"),
            name: body.name,
            scopes: body.scopes,
            expiresInDays: body.expiresInDays.map(Int.init),
            caller: try currentCaller()
        )
        return .created(.init(body: .json(.init(token: .init(issued.token), secret: issued.secret))))
    }
}
