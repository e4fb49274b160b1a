import DossierAPI
import DossierCore
import Foundation
import OpenAPIRuntime

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

extension APIHandler {
    func listEntries(_ input: Operations.ListEntries.Input) async throws -> Operations.ListEntries.Output {
        let query = input.query
        let page = try await entries.list(
            try Self.id(input.path.id, "portfolio"),
            page: try paging.request(limit: query.limit, cursor: query.cursor),
            caller: try currentCaller()
        )
        let items = page.items.map(Components.Schemas.Entry.init)
        return .ok(.init(body: .json(.init(items: items, nextCursor: paging.next(page)))))
    }

    func createEntry(_ input: Operations.CreateEntry.Input) async throws -> Operations.CreateEntry.Output {
        guard case .json(let body) = input.body else { throw Self.unsupportedBody }
        let entry = try await entries.create(
            try Self.id(input.path.id, "portfolio"),
            .init(
                kind: body.kind,
                title: body.title,
                body: body.body,
                tags: body.tags ?? [],
                activities: body.activities ?? [],
                shared: body.shared ?? false
            ),
            caller: try currentCaller()
        )
        ResponseHeaderSink.current?.set(.eTag, entry.etag)
        return .created(.init(body: .json(.init(entry))))
    }

    func getEntry(_ input: Operations.GetEntry.Input) async throws -> Operations.GetEntry.Output {
        let entry = try await entries.get(try Self.id(input.path.id, "entry"), caller: try currentCaller())
        ResponseHeaderSink.current?.set(.eTag, entry.etag)
        return .ok(.init(body: .json(.init(entry))))
    }

    func updateEntry(_ input: Operations.UpdateEntry.Input) async throws -> Operations.UpdateEntry.Output {
        guard case .applicationMergePatchJson(let body) = input.body else { throw Self.unsupportedBody }
        let entry = try await entries.update(
            try Self.id(input.path.id, "entry"),
            patch: try EntryPatch(mergePatch: body),
            ifMatch: input.headers.ifMatch,
            caller: try currentCaller()
        )
        ResponseHeaderSink.current?.set(.eTag, entry.etag)
        return .ok(.init(body: .json(.init(entry))))
    }

    func createEntryComment(
        _ input: Operations.CreateEntryComment.Input
    ) async throws -> Operations.CreateEntryComment.Output {
        guard case .json(let body) = input.body else { throw Self.unsupportedBody }
        let entry = try await entries.comment(
            on: try Self.id(input.path.id, "entry"),
            body: body.body,
            caller: try currentCaller()
        )
        return .created(.init(body: .json(.init(entry))))
    }
}

extension APIHandler {
    func exportPortfolio(_ input: Operations.ExportPortfolio.Input) async throws -> Operations.ExportPortfolio.Output {
        let archive = try await export.export(try Self.id(input.path.id, "portfolio"), caller: try currentCaller())
        let sink = ResponseHeaderSink.current
        sink?.set(.contentDisposition, "attachment; filename=\"\(archive.fileName)\"")
        sink?.set(.xContentTypeOptions, "nosniff")
        return .ok(
            .init(
                body: .applicationZip(
                    HTTPBody(archive, length: .known(Int64(archive.length)), iterationBehavior: .single)
                )
            )
        )
    }
}
