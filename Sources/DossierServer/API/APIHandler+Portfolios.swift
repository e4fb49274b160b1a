import DossierAPI
import DossierCore
import Foundation
import HTTPTypes
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
    /// `listEntries`, hand-written (see `HandWrittenOperation`): its page is written by
    /// `JSONWriter.entryList`, parameters as `ParameterCheck` has already checked them.
    var listEntries: HandWrittenOperation {
        HandWrittenOperation(id: "listEntries", method: .get, path: "/v1/portfolios/{id}/entries") {
            request,
            metadata in
            try HandWrittenOperation.requireAcceptable("application/json", in: request.headerFields)
            let path = metadata.pathParameters["id"].map { String($0).removingPercentEncoding ?? String($0) }
            let query = ParameterCheck.queryItems(of: request.path ?? "")
            let page = try await entries.list(
                try Self.id(path ?? "", "portfolio"),
                page: try paging.request(
                    limit: query.first { $0.name == "limit" }.flatMap { Int32($0.value) },
                    cursor: query.first { $0.name == "cursor" }?.value
                ),
                caller: try currentCaller()
            )
            var response = HTTPResponse(status: .ok)
            response.headerFields[.contentType] = "application/json; charset=utf-8"
            return (response, HTTPBody(JSONWriter.entryList(page.items, nextCursor: paging.next(page))))
        }
    }
}

extension APIHandler {
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
