import DossierAPI
import DossierCore
import OpenAPIRuntime

extension APIHandler {
    func getDigestPreview(_ input: Operations.GetDigestPreview.Input) async throws -> Operations.GetDigestPreview.Output
    {
        let person: PersonID = try Self.id(input.query.person, "person")
        let (content, rendered) = try await digestPlanner.preview(of: person, caller: try currentCaller())
        return .ok(
            .init(
                body: .json(
                    .init(
                        personId: person.description,
                        period: content.period.key,
                        wouldSend: rendered != nil,
                        itemCount: content.itemCount,
                        subject: rendered?.subject,
                        text: rendered?.text,
                        html: rendered?.html
                    )
                )
            )
        )
    }

    func listOutbox(_ input: Operations.ListOutbox.Input) async throws -> Operations.ListOutbox.Output {
        let query = input.query
        let page = try await outbox.list(
            status: query.status.flatMap { OutboxRecord.Status(rawValue: $0.rawValue) },
            kind: query.kind.flatMap { OutboxRecord.Kind(rawValue: $0.rawValue) },
            person: try Self.id(query: query.person, "person"),
            page: try paging.request(limit: query.limit, cursor: query.cursor),
            caller: try currentCaller()
        )
        let items = page.items.map(Components.Schemas.OutboxMail.init)
        return .ok(.init(body: .json(.init(items: items, nextCursor: paging.next(page)))))
    }

    func resendOutboxMail(
        _ input: Operations.ResendOutboxMail.Input
    ) async throws
        -> Operations.ResendOutboxMail.Output
    {
        .ok(.init(body: .json(.init(try await outbox.resend(input.path.outboxId, caller: try currentCaller())))))
    }

    /// A GET only shows the button: link scanners follow links, and must not unsubscribe anyone.
    func getUnsubscribe(_ input: Operations.GetUnsubscribe.Input) async throws -> Operations.GetUnsubscribe.Output {
        let token = input.path.token
        guard digestPreferences.isGenuine(token: token) else { throw DossierError.notFound("unsubscribe link") }
        let page = try mailRenderer.unsubscribePage(action: "/v1/email/unsubscribe/\(token)", done: false)
        return .ok(.init(body: .html(HTTPBody(page))))
    }

    func confirmUnsubscribe(
        _ input: Operations.ConfirmUnsubscribe.Input
    ) async throws
        -> Operations.ConfirmUnsubscribe.Output
    {
        let at = try await digestPreferences.unsubscribe(token: input.path.token)
        if Self.prefers(.html, in: input.headers.accept) {
            let page = try mailRenderer.unsubscribePage(action: "", done: true)
            return .ok(.init(body: .html(HTTPBody(page))))
        }
        return .ok(.init(body: .json(.init(unsubscribedAt: at))))
    }
}
