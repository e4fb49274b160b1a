import DossierAPI
import DossierCore

extension APIHandler {
    func getRetentionPolicy(
        _ input: Operations.GetRetentionPolicy.Input
    ) async throws
        -> Operations.GetRetentionPolicy.Output
    {
        .ok(.init(body: .json(.init(try await retention.currentPolicy(caller: try currentCaller())))))
    }

    func listRetentionPolicyVersions(
        _ input: Operations.ListRetentionPolicyVersions.Input
    ) async throws
        -> Operations.ListRetentionPolicyVersions.Output
    {
        let versions = try await retention.policyVersions(caller: try currentCaller())
        return .ok(.init(body: .json(.init(items: versions.map(Components.Schemas.RetentionPolicy.init)))))
    }

    func createRetentionPolicyVersion(
        _ input: Operations.CreateRetentionPolicyVersion.Input
    ) async throws
        -> Operations.CreateRetentionPolicyVersion.Output
    {
        guard case .json(let body) = input.body else { throw Self.unsupportedBody }
        let version = try await retention.changePolicy(
            RetentionPolicyChange(
                keepMonths: Int(body.keepMonths),
                downloadMonths: Int(body.downloadMonths),
                graceDays: Int(body.graceDays),
                autoApproveMax: Int(body.autoApproveMax),
                fourEyes: body.fourEyes ?? true,
                reason: body.reason
            ),
            caller: try currentCaller()
        )
        return .created(.init(body: .json(.init(version))))
    }

    func listRetentionRuns(
        _ input: Operations.ListRetentionRuns.Input
    ) async throws
        -> Operations.ListRetentionRuns.Output
    {
        let query = input.query
        let page = try await retention.list(
            mode: query.mode.flatMap { RetentionRun.Mode(rawValue: $0.rawValue) },
            status: query.status.flatMap { RetentionRun.Status(rawValue: $0.rawValue) },
            page: try paging.request(limit: query.limit, cursor: query.cursor),
            by: .caller(try currentCaller())
        )
        let items = page.items.map(Components.Schemas.RetentionRun.init)
        return .ok(.init(body: .json(.init(items: items, nextCursor: paging.next(page)))))
    }

    func createRetentionRun(
        _ input: Operations.CreateRetentionRun.Input
    ) async throws
        -> Operations.CreateRetentionRun.Output
    {
        guard case .json(let body) = input.body else { throw Self.unsupportedBody }
        guard let mode = RetentionRun.Mode(rawValue: body.mode) else {
            throw DossierError.validation([FieldError("/mode", "must be dry_run or execute")])
        }
        let run = try await retention.plan(mode, by: .caller(try currentCaller()))
        return .created(.init(body: .json(.init(run))))
    }

    func getRetentionRun(_ input: Operations.GetRetentionRun.Input) async throws -> Operations.GetRetentionRun.Output {
        let run = try await retention.get(try Self.id(input.path.id, "retention run"), by: .caller(try currentCaller()))
        return .ok(.init(body: .json(.init(run))))
    }

    func listRetentionCandidates(
        _ input: Operations.ListRetentionCandidates.Input
    ) async throws
        -> Operations.ListRetentionCandidates.Output
    {
        let id: RetentionRun.ID = try Self.id(input.path.id, "retention run")
        let query = input.query
        let page = try await retention.candidates(
            of: id,
            page: try paging.request(limit: query.limit, cursor: query.cursor),
            by: .caller(try currentCaller())
        )
        let items = page.items.map(Components.Schemas.RetentionCandidate.init)
        return .ok(.init(body: .json(.init(items: items, nextCursor: paging.next(page)))))
    }

    func approveRetentionRun(
        _ input: Operations.ApproveRetentionRun.Input
    ) async throws
        -> Operations.ApproveRetentionRun.Output
    {
        let run = try await retention.approve(
            try Self.id(input.path.id, "retention run"),
            by: .caller(try currentCaller())
        )
        return .ok(.init(body: .json(.init(run))))
    }

    func getRetentionCertificate(
        _ input: Operations.GetRetentionCertificate.Input
    ) async throws
        -> Operations.GetRetentionCertificate.Output
    {
        let certificate = try await retention.certificate(
            of: try Self.id(input.path.id, "retention run"),
            by: .caller(try currentCaller())
        )
        return .ok(.init(body: .json(.init(certificate))))
    }

    func listDisposals(_ input: Operations.ListDisposals.Input) async throws -> Operations.ListDisposals.Output {
        guard let portfolio: Portfolio.ID = try Self.id(query: input.query.portfolioId, "portfolio_id") else {
            throw Self.invalidParameter("portfolio_id", "is required")
        }
        let records = try await retention.disposals(of: portfolio, caller: try currentCaller())
        return .ok(.init(body: .json(.init(items: records.map(Components.Schemas.DisposalEvent.init)))))
    }
}
