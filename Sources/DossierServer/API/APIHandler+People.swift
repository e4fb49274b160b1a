import DossierAPI
import DossierCore
import Foundation

extension APIHandler {
    func getMe(_ input: Operations.GetMe.Input) async throws -> Operations.GetMe.Output {
        let caller = try currentCaller()
        let (person, supervisions) = try await people.me(caller: caller)
        return .ok(.init(body: .json(.init(caller, person: person, supervisions: supervisions))))
    }

    func listPeople(_ input: Operations.ListPeople.Input) async throws -> Operations.ListPeople.Output {
        let query = input.query
        let filter = PersonRepository.Filter(
            role: query.role.flatMap { Role(rawValue: $0.rawValue) },
            groupID: try Self.id(query: query.groupId, "group_id"),
            status: query.status.flatMap { TraineeStatus(rawValue: $0.rawValue) },
            text: query.q,
            updatedSince: query.updatedSince
        )
        let page = try await people.list(
            filter,
            page: try paging.request(limit: query.limit, cursor: query.cursor),
            caller: try currentCaller()
        )
        let items = page.items.map(Components.Schemas.Person.init)
        return .ok(.init(body: .json(.init(items: items, nextCursor: paging.next(page)))))
    }

    func createPerson(_ input: Operations.CreatePerson.Input) async throws -> Operations.CreatePerson.Output {
        guard case .json(let body) = input.body else { throw Self.unsupportedBody }
        let person = try await people.create(PersonInput(body), caller: try currentCaller())
        ResponseHeaderSink.current?.set(.eTag, person.etag)
        return .created(.init(body: .json(.init(person))))
    }

    func getPerson(_ input: Operations.GetPerson.Input) async throws -> Operations.GetPerson.Output {
        let person = try await people.get(try Self.id(input.path.id, "person"), caller: try currentCaller())
        ResponseHeaderSink.current?.set(.eTag, person.etag)
        return .ok(.init(body: .json(.init(person))))
    }

    func updatePerson(_ input: Operations.UpdatePerson.Input) async throws -> Operations.UpdatePerson.Output {
        guard case .applicationMergePatchJson(let body) = input.body else { throw Self.unsupportedBody }
        let person = try await people.update(
            try Self.id(input.path.id, "person"),
            patch: try PersonPatch(mergePatch: body),
            ifMatch: input.headers.ifMatch,
            caller: try currentCaller()
        )
        ResponseHeaderSink.current?.set(.eTag, person.etag)
        return .ok(.init(body: .json(.init(person))))
    }

    func recordCompletion(_ input: Operations.RecordCompletion.Input) async throws -> Operations.RecordCompletion.Output
    {
        guard case .json(let body) = input.body else { throw Self.unsupportedBody }
        let person = try await people.recordCompletion(
            try Self.id(input.path.id, "person"),
            completedAt: body.completedAt,
            outcome: body.outcome,
            reason: body.reason,
            caller: try currentCaller()
        )
        ResponseHeaderSink.current?.set(.eTag, person.etag)
        return .ok(.init(body: .json(.init(person))))
    }

    func listAccessLog(_ input: Operations.ListAccessLog.Input) async throws -> Operations.ListAccessLog.Output {
        let query = input.query
        let page = try await people.accessLog(
            of: try Self.id(input.path.id, "person"),
            from: query.from,
            until: query.until,
            page: try paging.request(limit: query.limit, cursor: query.cursor),
            caller: try currentCaller()
        )
        let items = page.items.map(Components.Schemas.AccessLogEntry.init)
        return .ok(.init(body: .json(.init(items: items, nextCursor: paging.next(page)))))
    }
}

extension APIHandler {
    /// The people import accepts larger bodies than the default (see `BodyLimitMiddleware`).
    static let importLimit = 4 << 20

    func importPeople(_ input: Operations.ImportPeople.Input) async throws -> Operations.ImportPeople.Output {
        guard case .csv(let body) = input.body else { throw Self.unsupportedBody }
        let bytes = try await [UInt8](collecting: body, upTo: Self.importLimit)
        guard let csv = String(validating: bytes, as: UTF8.self) else {
            throw DossierError.validation([FieldError("/rows/1", "the file is not UTF-8 text")])
        }
        let report = try await people.importPeople(
            csv: csv,
            dryRun: input.query.dryRun ?? false,
            caller: try currentCaller()
        )
        return .ok(.init(body: .json(.init(report))))
    }
}
