import DossierAPI
import DossierCore
import Foundation

extension APIHandler {
    func listProgressReviews(
        _ input: Operations.ListProgressReviews.Input
    ) async throws -> Operations.ListProgressReviews.Output {
        let query = input.query
        let page = try await progressReviews.list(
            try Self.id(input.path.id, "portfolio"),
            kind: query.kind.flatMap { ProgressRecord.Kind(rawValue: $0.rawValue) },
            includeTest: query.includeTest ?? false,
            page: try paging.request(limit: query.limit, cursor: query.cursor),
            caller: try currentCaller()
        )
        let items = page.items.map(Components.Schemas.ProgressRecord.init)
        return .ok(.init(body: .json(.init(items: items, nextCursor: paging.next(page)))))
    }

    func createProgressReview(
        _ input: Operations.CreateProgressReview.Input
    ) async throws -> Operations.CreateProgressReview.Output {
        guard case .json(let body) = input.body else { throw Self.unsupportedBody }
        let record = try await progressReviews.create(
            try Self.id(input.path.id, "portfolio"),
            .init(
                kind: body.kind,
                formVersion: body.formVersion.map(Int.init),
                heldOn: body.heldOn,
                answers: try FormAnswersMapping.answers(body.answers),
                summary: body.summary ?? ""
            ),
            caller: try currentCaller()
        )
        ResponseHeaderSink.current?.set(.eTag, record.etag)
        return .created(.init(body: .json(.init(record))))
    }

    func getProgressReview(
        _ input: Operations.GetProgressReview.Input
    ) async throws -> Operations.GetProgressReview.Output {
        let record = try await progressReviews.get(
            try Self.id(input.path.id, "progress record"),
            caller: try currentCaller()
        )
        ResponseHeaderSink.current?.set(.eTag, record.etag)
        return .ok(.init(body: .json(.init(record))))
    }

    func updateProgressReview(
        _ input: Operations.UpdateProgressReview.Input
    ) async throws -> Operations.UpdateProgressReview.Output {
        guard case .applicationMergePatchJson(let body) = input.body else { throw Self.unsupportedBody }
        let record = try await progressReviews.update(
            try Self.id(input.path.id, "progress record"),
            patch: try ProgressReviewService.Patch(mergePatch: body),
            ifMatch: input.headers.ifMatch,
            caller: try currentCaller()
        )
        ResponseHeaderSink.current?.set(.eTag, record.etag)
        return .ok(.init(body: .json(.init(record))))
    }

    func signProgressReview(
        _ input: Operations.SignProgressReview.Input
    ) async throws -> Operations.SignProgressReview.Output {
        let record = try await progressReviews.sign(
            try Self.id(input.path.id, "progress record"),
            caller: try currentCaller()
        )
        ResponseHeaderSink.current?.set(.eTag, record.etag)
        return .ok(.init(body: .json(.init(record))))
    }

    func amendProgressReview(
        _ input: Operations.AmendProgressReview.Input
    ) async throws -> Operations.AmendProgressReview.Output {
        guard case .json(let body) = input.body else { throw Self.unsupportedBody }
        let record = try await progressReviews.amend(
            try Self.id(input.path.id, "progress record"),
            .init(
                reason: body.reason,
                heldOn: body.heldOn,
                answers: try FormAnswersMapping.answers(body.answers),
                summary: body.summary ?? ""
            ),
            caller: try currentCaller()
        )
        ResponseHeaderSink.current?.set(.eTag, record.etag)
        return .created(.init(body: .json(.init(record))))
    }

    func getProgressReviewSchedule(
        _ input: Operations.GetProgressReviewSchedule.Input
    ) async throws -> Operations.GetProgressReviewSchedule.Output {
        let schedule = try await progressReviews.schedule(
            try Self.id(input.path.id, "portfolio"),
            caller: try currentCaller()
        )
        return .ok(
            .init(
                body: .json(
                    .init(
                        portfolioId: schedule.portfolioID.description,
                        startDate: schedule.start.description,
                        endDate: schedule.end.description,
                        items: schedule.items.map {
                            .init(
                                number: $0.number,
                                dueOn: $0.dueOn.description,
                                status: .init(rawValue: $0.status.rawValue) ?? .upcoming,
                                reviewId: $0.reviewID?.description
                            )
                        }
                    )
                )
            )
        )
    }

    func listOverdueProgressReviews(
        _ input: Operations.ListOverdueProgressReviews.Input
    ) async throws -> Operations.ListOverdueProgressReviews.Output {
        let overdue = try await progressReviews.overdue(caller: try currentCaller())
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: overdue.map {
                            .init(
                                traineeId: $0.traineeID.description,
                                portfolioId: $0.portfolioID.description,
                                dueOn: $0.dueOn.description,
                                daysOverdue: $0.daysOverdue
                            )
                        }
                    )
                )
            )
        )
    }
}
