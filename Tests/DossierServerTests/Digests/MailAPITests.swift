import DossierAPI
import DossierCore
import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Testing

/// The mail operations of the API: the one-click unsubscribe link, the digest preview and the
/// admins' outbox.
@Suite struct MailAPITests {
    static func token(for actor: World.Actor) -> String {
        UnsubscribeToken(secretKey: TestApp.secretKey).token(for: PersonID(actor.id)!)
    }

    @Test func theLinkShowsAButtonAndThePostUnsubscribesOnceWithoutALogin() async throws {
        try await World.test { world in
            let token = Self.token(for: world.trainee)
            let before = try await world.database.digest()
            let page = try await world.request(.get, "/v1/email/unsubscribe/\(token)", as: nil)
            let afterPage = try await world.database.digest()
            let first = try await world.request(
                .post,
                "/v1/email/unsubscribe/\(token)",
                as: nil,
                body: "List-Unsubscribe=One-Click",
                headers: [.contentType: "application/x-www-form-urlencoded"]
            )
            let again = try await world.request(.post, "/v1/email/unsubscribe/\(token)", as: nil)
            let browser = try await world.request(
                .post,
                "/v1/email/unsubscribe/\(token)",
                as: nil,
                headers: [.accept: "text/html"]
            )
            let preferences = try await world.request(.get, "/v1/me/digest-preferences", as: world.trainee)
                .decode(API.DigestPreferences.self)

            #expect(page.status == .ok)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(
                String(buffer: page.body).contains(#"<form method="post" action="/v1/email/unsubscribe/\#(token)">"#)
            )
            #expect(afterPage == before, "a GET must change nothing")
            #expect(first.status == .ok, "\(String(buffer: first.body))")
            let firstAt = try first.decode(API.Unsubscribed.self).unsubscribedAt
            #expect(try again.decode(API.Unsubscribed.self).unsubscribedAt == firstAt)
            #expect(String(buffer: browser.body).contains("You will get no more Dossier digests"))
            #expect(preferences.frequency == .off && !preferences._default)
        }
    }

    @Test(arguments: [
        "uns_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "flip-last", "uns_short", "dos_notAnUnsubscribeToken",
    ])
    func aTamperedLinkIs404AndChangesNothing(_ variant: String) async throws {
        try await World.test { world in
            let genuine = Self.token(for: world.trainee)
            let token =
                variant == "flip-last"
                ? String(genuine.dropLast()) + (genuine.hasSuffix("A") ? "B" : "A") : variant
            let before = try await world.database.digest()

            let post = try await world.request(.post, "/v1/email/unsubscribe/\(token)", as: nil)
            let get = try await world.request(.get, "/v1/email/unsubscribe/\(token)", as: nil)

            #expect([HTTPResponse.Status.notFound, .badRequest].contains(post.status), "\(String(buffer: post.body))")
            #expect([HTTPResponse.Status.notFound, .badRequest].contains(get.status))
            if variant.count == genuine.count { #expect(post.status == .notFound) }
            #expect(try post.problem()._type.hasPrefix("https://dossier.example/problems/"))
            #expect(try await world.database.digest() == before)
        }
    }

    @Test func thePreviewRendersTheDigestWithLinksRedactedAndWritesNothing() async throws {
        try await World.test { world in
            let before = try await world.database.digest()
            let response = try await world.request(
                .get,
                "/v1/admin/digests/preview?person=\(world.trainee.id)",
                as: world.admin
            )
            let byCoordinator = try await world.request(
                .get,
                "/v1/admin/digests/preview?person=\(world.trainee.id)",
                as: world.coordinator
            )
            let unknown = try await world.request(
                .get,
                "/v1/admin/digests/preview?person=\(UUID().uuidString.lowercased())",
                as: world.admin
            )
            let malformed = try await world.request(.get, "/v1/admin/digests/preview?person=nope", as: world.admin)

            let preview = try response.decode(API.DigestPreview.self)
            #expect(preview.personId == world.trainee.id)
            #expect(preview.period.contains("-W"), "a trainee's default is weekly: \(preview.period)")
            if preview.wouldSend {
                #expect(preview.subject?.hasPrefix("Dossier weekly digest for") == true)
                #expect(preview.text?.contains("/v1/email/unsubscribe/uns_") == true)
                #expect(preview.html?.contains("<!DOCTYPE html>") == true)
            } else {
                #expect(preview.subject == nil && preview.itemCount == 0)
            }
            #expect(try await world.database.digest() == before)
            #expect(byCoordinator.status == .forbidden)
            #expect(unknown.status == .notFound)
            #expect(malformed.status == .unprocessableContent)
        }
    }

    @Test func anAdminListsTheOutboxAndResendsAnUnknownMailButNotASentOne() async throws {
        try await World.test { world in
            try await world.database.withOwnerClient { client in
                try await client.query(
                    """
                    INSERT INTO email_outbox (idempotency_key, kind, person_id, to_address, message_id, raw_message,
                                              status, smtp_phase, attempts, created_at, sent_at)
                    VALUES ('digest:a:2026-W49', 'digest', \(UUID(uuidString: world.trainee.id)!), 'a@dossier.test',
                            '<1@dossier.test>', '\\x41'::bytea, 'unknown', 'final_dot', 1, now(), NULL),
                           ('digest:b:2026-W49', 'digest', NULL, 'b@dossier.test', '<2@dossier.test>', '\\x42'::bytea,
                            'sent', 'final_dot', 1, now(), now())
                    """
                )
            }
            let unknown = try await world.request(.get, "/v1/admin/outbox?status=unknown", as: world.admin)
                .decode(API.OutboxList.self)
            let all = try await world.request(.get, "/v1/admin/outbox?limit=1", as: world.admin)
                .decode(API.OutboxList.self)
            let id = try #require(unknown.items.first?.id)
            let sentID = try #require(all.items.first?.id)
            let resent = try await world.request(.post, "/v1/admin/outbox/\(id)/resend", as: world.admin)
            let before = try await world.database.digest()
            let refused = try await world.request(.post, "/v1/admin/outbox/\(sentID)/resend", as: world.admin)
            let missing = try await world.request(.post, "/v1/admin/outbox/999999/resend", as: world.admin)
            let badFilter = try await world.request(.get, "/v1/admin/outbox?status=lost", as: world.admin)

            #expect(unknown.items.map(\.key) == ["digest:a:2026-W49"])
            #expect(all.items.count == 1 && all.nextCursor != nil)
            let mail = try resent.decode(API.OutboxMail.self)
            #expect(mail.status == .pending && mail.attempts == 0 && mail.messageId == "<1@dossier.test>")
            #expect(refused.status == .conflict)
            #expect(try refused.problem()._type == "https://dossier.example/problems/mail-not-resent")
            #expect(try await world.database.digest() == before)
            #expect(missing.status == .notFound)
            #expect(badFilter.status == .unprocessableContent)
            #expect(!String(buffer: resent.body).contains("a@dossier.test"), "the address is never shown")
        }
    }
}
