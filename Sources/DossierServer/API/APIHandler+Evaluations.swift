import DossierAPI
import DossierCore
import Foundation
import OpenAPIRuntime

extension APIHandler {
    func listEvaluations(_ input: Operations.ListEvaluations.Input) async throws -> Operations.ListEvaluations.Output {
        let query = input.query
        let page = try await evaluations.list(
            .init(
                subjectKind: query.subjectKind.flatMap { Evaluation.SubjectKind(rawValue: $0.rawValue) },
                state: query.state.flatMap { Evaluation.State(rawValue: $0.rawValue) },
                groupID: try Self.id(query: query.groupId, "group_id"),
                teacherID: try Self.id(query: query.teacherId, "teacher_id"),
                from: query.from.flatMap(CalendarDate.init),
                to: query.to.flatMap(CalendarDate.init)
            ),
            page: try paging.request(limit: query.limit, cursor: query.cursor),
            caller: try currentCaller()
        )
        let now = clock.now()
        let items = page.items.map { Components.Schemas.Evaluation($0, now: now) }
        return .ok(.init(body: .json(.init(items: items, nextCursor: paging.next(page)))))
    }

    func createEvaluation(_ input: Operations.CreateEvaluation.Input) async throws -> Operations.CreateEvaluation.Output
    {
        guard case .json(let body) = input.body else { throw Self.unsupportedBody }
        let evaluation = try await evaluations.create(
            .init(
                title: body.title,
                formKey: body.formKey,
                subject: try body.subject.core(),
                respondents: try body.respondents.core(),
                opensAt: body.opensAt,
                closesAt: body.closesAt,
                anonymous: body.anonymous ?? true,
                minimumResponses: body.minResponses.map(Int.init),
                targetRate: body.targetRate.map(Int.init)
            ),
            caller: try currentCaller()
        )
        ResponseHeaderSink.current?.set(.eTag, evaluation.etag)
        return .created(.init(body: .json(.init(evaluation, now: clock.now()))))
    }

    func getEvaluation(_ input: Operations.GetEvaluation.Input) async throws -> Operations.GetEvaluation.Output {
        let evaluation = try await evaluations.get(
            try Self.id(input.path.id, "evaluation"),
            caller: try currentCaller()
        )
        ResponseHeaderSink.current?.set(.eTag, evaluation.etag)
        return .ok(.init(body: .json(.init(evaluation, now: clock.now()))))
    }

    func updateEvaluation(_ input: Operations.UpdateEvaluation.Input) async throws -> Operations.UpdateEvaluation.Output
    {
        guard case .applicationMergePatchJson(let body) = input.body else { throw Self.unsupportedBody }
        let evaluation = try await evaluations.update(
            try Self.id(input.path.id, "evaluation"),
            patch: try EvaluationPatch(mergePatch: body),
            ifMatch: input.headers.ifMatch,
            caller: try currentCaller()
        )
        ResponseHeaderSink.current?.set(.eTag, evaluation.etag)
        return .ok(.init(body: .json(.init(evaluation, now: clock.now()))))
    }

    func submitEvaluationResponse(
        _ input: Operations.SubmitEvaluationResponse.Input
    ) async throws -> Operations.SubmitEvaluationResponse.Output {
        guard case .json(let body) = input.body else { throw Self.unsupportedBody }
        let assignment = try await evaluations.respond(
            to: try Self.id(input.path.id, "evaluation"),
            answers: try FormAnswersMapping.answers(body.answers),
            showTextIfAlone: body.showTextIfAlone ?? false,
            caller: try currentCaller()
        )
        return .created(.init(body: .json(.init(assignment, now: clock.now()))))
    }

    func getEvaluationReport(
        _ input: Operations.GetEvaluationReport.Input
    ) async throws -> Operations.GetEvaluationReport.Output {
        let report = try await evaluations.report(
            try Self.id(input.path.id, "evaluation"),
            breakdown: input.query.breakdown.flatMap { EvaluationReport.Breakdown(rawValue: $0.rawValue) },
            caller: try currentCaller()
        )
        guard Self.prefers(.csv, in: input.headers.accept) else { return .ok(.init(body: .json(.init(report)))) }
        return .ok(.init(body: .csv(HTTPBody(report.csv))))
    }

    func getEvaluationResponseRate(
        _ input: Operations.GetEvaluationResponseRate.Input
    ) async throws -> Operations.GetEvaluationResponseRate.Output {
        let rate = try await evaluations.responseRate(
            try Self.id(input.path.id, "evaluation"),
            caller: try currentCaller()
        )
        return .ok(
            .init(
                body: .json(
                    .init(
                        evaluationId: rate.evaluationID.description,
                        invited: Int32(clamping: rate.invited),
                        responded: Int32(clamping: rate.responded),
                        rate: rate.rate
                    )
                )
            )
        )
    }

    func listMyEvaluations(
        _ input: Operations.ListMyEvaluations.Input
    ) async throws -> Operations.ListMyEvaluations.Output {
        let page = try await evaluations.assignments(
            page: try paging.request(limit: input.query.limit, cursor: input.query.cursor),
            caller: try currentCaller()
        )
        let now = clock.now()
        let items = page.items.map { Components.Schemas.MyEvaluation($0, now: now) }
        return .ok(.init(body: .json(.init(items: items, nextCursor: paging.next(page)))))
    }
}

extension APIHandler {
    func createEvaluationLink(
        _ input: Operations.CreateEvaluationLink.Input
    ) async throws -> Operations.CreateEvaluationLink.Output {
        let (token, expiresAt) = try await evaluations.issueLink(
            for: try Self.id(input.path.id, "evaluation"),
            caller: try currentCaller()
        )
        let url = "\(paging.publicBaseURL)/v1/evaluation-links/\(token)"
        return .created(.init(body: .json(.init(url: url, token: token, expiresAt: expiresAt))))
    }

    func getEvaluationLink(
        _ input: Operations.GetEvaluationLink.Input
    ) async throws -> Operations.GetEvaluationLink.Output {
        let view = try await evaluations.view(link: input.path.token)
        let evaluation = view.evaluation
        return .ok(
            .init(
                body: .json(
                    .init(
                        evaluationId: evaluation.id.description,
                        title: evaluation.title,
                        subjectKind: .init(rawValue: evaluation.subject.kind.rawValue) ?? .module,
                        anonymous: evaluation.anonymous,
                        opensAt: evaluation.opensAt,
                        closesAt: evaluation.closesAt,
                        formKey: evaluation.formKey,
                        formVersion: Int32(evaluation.formVersion),
                        definition: .init(view.version.definition)
                    )
                )
            )
        )
    }

    func submitEvaluationLinkResponse(
        _ input: Operations.SubmitEvaluationLinkResponse.Input
    ) async throws -> Operations.SubmitEvaluationLinkResponse.Output {
        guard case .json(let body) = input.body else { throw Self.unsupportedBody }
        let assignment = try await evaluations.respond(
            link: input.path.token,
            answers: try FormAnswersMapping.answers(body.answers),
            showTextIfAlone: body.showTextIfAlone ?? false
        )
        return .created(.init(body: .json(.init(assignment, now: clock.now()))))
    }
}

extension APIHandler {
    func createEvaluationFollowUp(
        _ input: Operations.CreateEvaluationFollowUp.Input
    ) async throws -> Operations.CreateEvaluationFollowUp.Output {
        guard case .json(let body) = input.body else { throw Self.unsupportedBody }
        let followUp = try await evaluations.publishFollowUp(
            on: try Self.id(input.path.id, "evaluation"),
            body: body.body,
            caller: try currentCaller()
        )
        return .created(.init(body: .json(.init(followUp))))
    }

    func getMyEvaluation(_ input: Operations.GetMyEvaluation.Input) async throws -> Operations.GetMyEvaluation.Output {
        let (assignment, followUps) = try await evaluations.assignment(
            try Self.id(input.path.id, "evaluation"),
            caller: try currentCaller()
        )
        return .ok(.init(body: .json(.init(assignment, now: clock.now(), followUps: followUps))))
    }
}

extension APIHandler {
    func listEvaluationResponseRates(
        _ input: Operations.ListEvaluationResponseRates.Input
    ) async throws -> Operations.ListEvaluationResponseRates.Output {
        let query = input.query
        let overview = try await evaluations.responseRates(
            groupedBy: ResponseRateOverview.Grouping(rawValue: query.groupBy.rawValue) ?? .subjectKind,
            from: query.from.flatMap(CalendarDate.init),
            to: query.to.flatMap(CalendarDate.init),
            subjectKind: query.subjectKind.flatMap { Evaluation.SubjectKind(rawValue: $0.rawValue) },
            caller: try currentCaller()
        )
        return .ok(.init(body: .json(.init(overview))))
    }
}
