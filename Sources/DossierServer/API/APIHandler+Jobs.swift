import DossierAPI
import DossierCore

extension APIHandler {
    func listJobs(_ input: Operations.ListJobs.Input) async throws -> Operations.ListJobs.Output {
        let query = input.query
        let page = try await jobs.list(
            state: query.state.flatMap { Job.State(rawValue: $0.rawValue) },
            kind: query.kind,
            page: try paging.request(limit: query.limit, cursor: query.cursor),
            caller: try currentCaller()
        )
        let items = page.items.map(Components.Schemas.Job.init)
        return .ok(.init(body: .json(.init(items: items, nextCursor: paging.next(page)))))
    }

    func retryJob(_ input: Operations.RetryJob.Input) async throws -> Operations.RetryJob.Output {
        .ok(.init(body: .json(.init(try await jobs.retry(input.path.jobId, caller: try currentCaller())))))
    }

    func cancelJob(_ input: Operations.CancelJob.Input) async throws -> Operations.CancelJob.Output {
        .ok(.init(body: .json(.init(try await jobs.cancel(input.path.jobId, caller: try currentCaller())))))
    }
}
