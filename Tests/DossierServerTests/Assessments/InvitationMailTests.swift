import DossierAPI
import DossierCore
import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Testing

/// An invitation with an e-mail address is mailed: its rendered message waits in the outbox,
/// made in the invitation's own transaction.
@Suite struct InvitationMailTests {
    @Test func anInvitationWithAnAddressQueuesOneMailWithTheLink() async throws {
        try await World.test { world in
            let portfolio = try await world.portfolio()
            let issued = try await world.request(
                .post,
                "/v1/portfolios/\(portfolio)/assessment-invitations",
                as: world.trainee,
                body: #"{"instrument":"kba","invitee_name":"Petra","invitee_email":"petra@praktijk.test"}"#
            ).decode(API.IssuedAssessmentInvitation.self)
            let plain = try await world.request(
                .post,
                "/v1/portfolios/\(portfolio)/assessment-invitations",
                as: world.trainee,
                body: #"{"instrument":"kba","invitee_name":"Piet"}"#
            ).decode(API.IssuedAssessmentInvitation.self)

            let rows = try await world.database.withOwnerClient { client in
                var rows: [(String, String, String, String)] = []
                for try await row in try await client.query(
                    "SELECT idempotency_key, kind, status, convert_from(raw_message, 'UTF8') FROM email_outbox"
                ).decode((String, String, String, String).self) { rows.append(row) }
                return rows
            }
            #expect(issued.mailed == true)
            #expect(plain.mailed == false)
            #expect(rows.count == 1)
            #expect(rows.first?.0 == "invitation:\(issued.invitation.id)")
            #expect(rows.first?.1 == "assessment_invitation" && rows.first?.2 == "pending")
            // The quoted-printable body may fold the link; the unfolded text holds it whole.
            let unfolded = (rows.first?.3 ?? "").replacingOccurrences(of: "=\r\n", with: "")
            #expect(unfolded.contains("/v1/invitations/\(issued.token)"))
            #expect(unfolded.contains("To: petra@praktijk.test"))
        }
    }

    @Test(arguments: ["petra", "petra@localhost", "petra @praktijk.test", "<petra@praktijk.test>"])
    func aBadAddressIsRefusedByPointerAndNothingIsStored(_ address: String) async throws {
        try await World.test { world in
            let portfolio = try await world.portfolio()
            let before = try await world.database.digest()

            let refused = try await world.request(
                .post,
                "/v1/portfolios/\(portfolio)/assessment-invitations",
                as: world.trainee,
                body: #"{"instrument":"kba","invitee_name":"Petra","invitee_email":"\#(address)"}"#
            )

            #expect(refused.status == .unprocessableContent, "\(String(buffer: refused.body))")
            #expect(try refused.problem().errors?.map(\.pointer) == ["/invitee_email"])
            #expect(try await world.database.digest() == before)
        }
    }
}
