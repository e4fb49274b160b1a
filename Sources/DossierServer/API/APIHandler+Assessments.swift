import DossierAPI
import DossierCore
import Foundation

extension APIHandler {
    func listAssessments(_ input: Operations.ListAssessments.Input) async throws -> Operations.ListAssessments.Output {
        let query = input.query
        let page = try await assessments.list(
            try Self.id(input.path.id, "portfolio"),
            instrument: query.instrument,
            includeTest: query.includeTest ?? false,
            page: try paging.request(limit: query.limit, cursor: query.cursor),
            caller: try currentCaller()
        )
        let items = page.items.map(Components.Schemas.Assessment.init)
        return .ok(.init(body: .json(.init(items: items, nextCursor: paging.next(page)))))
    }

    func createAssessment(_ input: Operations.CreateAssessment.Input) async throws -> Operations.CreateAssessment.Output
    {
        guard case .json(let body) = input.body else { throw Self.unsupportedBody }
        let assessment = try await assessments.create(
            try Self.id(input.path.id, "portfolio"),
            .init(
                instrument: body.instrument,
                formVersion: body.formVersion.map(Int.init),
                answers: try FormAnswersMapping.answers(body.answers),
                narrative: body.narrative ?? "",
                assessedOn: body.assessedOn
            ),
            caller: try currentCaller()
        )
        return .created(.init(body: .json(.init(assessment))))
    }

    func getAssessment(_ input: Operations.GetAssessment.Input) async throws -> Operations.GetAssessment.Output {
        let assessment = try await assessments.get(
            try Self.id(input.path.id, "assessment"),
            caller: try currentCaller()
        )
        return .ok(.init(body: .json(.init(assessment))))
    }

    func listAssessmentInvitations(
        _ input: Operations.ListAssessmentInvitations.Input
    ) async throws -> Operations.ListAssessmentInvitations.Output {
        let query = input.query
        let page = try await assessments.invitations(
            try Self.id(input.path.id, "portfolio"),
            page: try paging.request(limit: query.limit, cursor: query.cursor),
            caller: try currentCaller()
        )
        let now = clock.now()
        let items = page.items.map { Components.Schemas.AssessmentInvitation($0, now: now) }
        return .ok(.init(body: .json(.init(items: items, nextCursor: paging.next(page)))))
    }

    func createAssessmentInvitation(
        _ input: Operations.CreateAssessmentInvitation.Input
    ) async throws -> Operations.CreateAssessmentInvitation.Output {
        guard case .json(let body) = input.body else { throw Self.unsupportedBody }
        let (invitation, token, mailed) = try await assessments.invite(
            try Self.id(input.path.id, "portfolio"),
            instrument: body.instrument,
            inviteeName: body.inviteeName,
            inviteeEmail: body.inviteeEmail,
            caller: try currentCaller()
        )
        return .created(
            .init(
                body: .json(
                    .init(
                        invitation: .init(invitation, now: clock.now()),
                        token: token,
                        url: "\(paging.publicBaseURL)/v1/invitations/\(token)",
                        mailed: mailed
                    )
                )
            )
        )
    }

    func getInvitation(_ input: Operations.GetInvitation.Input) async throws -> Operations.GetInvitation.Output {
        let view = try await assessments.view(invitation: input.path.token)
        return .ok(
            .init(
                body: .json(
                    .init(
                        instrument: view.invitation.instrument,
                        title: view.title,
                        formVersion: view.version.version,
                        definition: .init(view.version.definition),
                        traineeName: view.traineeName,
                        expiresAt: view.invitation.expiresAt
                    )
                )
            )
        )
    }

    func submitInvitedAssessment(
        _ input: Operations.SubmitInvitedAssessment.Input
    ) async throws -> Operations.SubmitInvitedAssessment.Output {
        guard case .json(let body) = input.body else { throw Self.unsupportedBody }
        let assessment = try await assessments.submit(
            invitation: input.path.token,
            .init(
                assessorName: body.assessorName,
                answers: try FormAnswersMapping.answers(body.answers),
                narrative: body.narrative ?? "",
                assessedOn: body.assessedOn
            ),
            requestID: RequestScope.requestID,
            clientIP: RequestScope.clientIP
        )
        return .created(.init(body: .json(.init(id: assessment.id.description, createdAt: assessment.createdAt))))
    }
}
