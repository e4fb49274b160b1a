import DossierAPI
import DossierCore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@Suite struct AssessmentTests {
    @Test func aSupervisorAssessesAndTheTraineeAndCoordinatorReadIt() async throws {
        try await World.test { world in
            let portfolio = try await world.portfolio()
            let path = "/v1/portfolios/\(portfolio)/assessments"
            let created = try await world.request(
                .post,
                path,
                as: world.trainer,
                body:
                    #"{"instrument":"combel-y2","answers":\#(Fixture.combel),"narrative":"Goede groei.","assessed_on":"2026-11-20"}"#
            )
            let assessment = try created.decode(API.Assessment.self)
            let mine = try await world.request(.get, path, as: world.trainee).decode(API.AssessmentList.self)
            let coordinators = try await world.request(.get, path, as: world.coordinator)
            let one = try await world.request(.get, "/v1/assessments/\(assessment.id)", as: world.trainer)

            #expect(created.status == .created)
            #expect(assessment.formVersion == 1 && !assessment.isTest)
            #expect(assessment.assessor.personId == world.trainer.id && assessment.assessor.role == "trainer")
            #expect(assessment.assessor.name == "Tom Trainer")
            #expect(mine.items.map(\.id) == [assessment.id])
            #expect(coordinators.status == .ok)
            #expect(one.status == .ok)
            let rows = try await world.accessLogRows(about: world.trainee.id).filter { $0.resource.hasPrefix("assess") }
            #expect(rows.map(\.resource) == ["assessment", "assessments", "assessment"])
            #expect(rows.map(\.rule) == ["supervisor:trainer", "coordinator", "supervisor:trainer"])
        }
    }

    @Test func onlyACurrentSupervisorAssessesAndNobodyWritesToAnotherPortfolio() async throws {
        try await World.test { world in
            let portfolio = try await world.portfolio()
            let body = #"{"instrument":"kba","answers":\#(Fixture.kba),"assessed_on":"2026-11-20"}"#
            let before = try await world.database.digest()

            let former = try await world.request(
                .post,
                "/v1/portfolios/\(portfolio)/assessments",
                as: world.formerTrainer,
                body: body
            )
            let own = try await world.request(
                .post,
                "/v1/portfolios/\(portfolio)/assessments",
                as: world.trainee,
                body: body
            )
            let other = try await world.request(
                .post,
                "/v1/portfolios/\(portfolio)/assessments",
                as: world.otherTrainee,
                body: body
            )

            #expect(former.status == .notFound)
            #expect(own.status == .forbidden)
            #expect(other.status == .notFound)
            #expect(try await world.database.digest() == before)
        }
    }

    @Test(arguments: [
        (
            #"{"instrument":"kba","answers":{"activity":"surgery","entrustment":9,"observed_on":"gisteren","extra":1},"assessed_on":"2026-11-20"}"#,
            [
                "/answers/extra", "/answers/activity", "/answers/entrustment", "/answers/observed_on",
                "/answers/observation",
            ]
        ),
        (
            #"{"instrument":"progress-review","answers":{},"assessed_on":"2026-11-20"}"#, ["/instrument"]
        ),
        (
            #"{"instrument":"kba","answers":\#(Fixture.kba),"assessed_on":"2027-01-01","narrative":""}"#,
            ["/assessed_on"]
        ),
        (
            #"{"instrument":"kba","form_version":7,"answers":\#(Fixture.kba),"assessed_on":"2026-11-20"}"#,
            ["/form_version"]
        ),
    ])
    func answersThatDoNotFitTheFormAreRefusedPerFieldAndNothingIsStored(body: String, pointers: [String]) async throws {
        try await World.test { world in
            let portfolio = try await world.portfolio()
            let before = try await world.database.digest()

            let response = try await world.request(
                .post,
                "/v1/portfolios/\(portfolio)/assessments",
                as: world.trainer,
                body: body
            )

            #expect(response.status == .unprocessableContent)
            #expect(try response.problem().errors?.map(\.pointer) == pointers)
            #expect(try await world.database.digest() == before)
        }
    }

    @Test func aResponseOnATestingVersionIsMarkedTestAndDraftOrRetiredVersionsTakeNone() async throws {
        try await World.test { world in
            let portfolio = try await world.portfolio()
            let path = "/v1/portfolios/\(portfolio)/assessments"
            _ = try await world.request(
                .post,
                "/v1/forms/kba/versions",
                as: world.coordinator,
                body: #"{"definition":\#(FormTests.definition)}"#
            )
            let onDraft = try await world.request(
                .post,
                path,
                as: world.trainer,
                body: #"{"instrument":"kba","form_version":2,"answers":{"overall":2},"assessed_on":"2026-11-20"}"#
            )
            _ = try await world.request(
                .post,
                "/v1/forms/kba/versions/2/status",
                as: world.coordinator,
                body: #"{"status":"testing"}"#
            )
            let onTesting = try await world.request(
                .post,
                path,
                as: world.trainer,
                body: #"{"instrument":"kba","form_version":2,"answers":{"overall":2},"assessed_on":"2026-11-20"}"#
            ).decode(API.Assessment.self)
            _ = try await world.request(
                .post,
                "/v1/forms/kba/versions/2/status",
                as: world.coordinator,
                body: #"{"status":"production"}"#
            )
            let onRetired = try await world.request(
                .post,
                path,
                as: world.trainer,
                body: #"{"instrument":"kba","form_version":1,"answers":\#(Fixture.kba),"assessed_on":"2026-11-20"}"#
            )
            let counted = try await world.request(.get, path, as: world.trainee).decode(API.AssessmentList.self)
            let all = try await world.request(.get, "\(path)?include_test=true", as: world.trainee)
                .decode(API.AssessmentList.self)
            let version = try await world.request(.get, "/v1/forms/kba/versions/2", as: world.trainee)
                .decode(API.FormVersion.self)

            #expect(onDraft.status == .unprocessableContent)
            #expect(try onDraft.problem().errors?.map(\.pointer) == ["/form_version"])
            #expect(onTesting.isTest)
            #expect(onRetired.status == .unprocessableContent)
            #expect(counted.items.isEmpty)
            #expect(all.items.map(\.id) == [onTesting.id])
            #expect(version.responseCount == 1)
        }
    }

    @Test func anInvitationIsGoodForOneSubmissionOnItsInstrumentAndNothingElse() async throws {
        try await World.test { world in
            let portfolio = try await world.portfolio()
            let issued = try await world.request(
                .post,
                "/v1/portfolios/\(portfolio)/assessment-invitations",
                as: world.trainee,
                body: #"{"instrument":"kba","invitee_name":"Petra Praktijkondersteuner"}"#
            ).decode(API.IssuedAssessmentInvitation.self)
            let link = "/v1/invitations/\(issued.token)"
            let view = try await world.request(.get, link, as: nil).decode(API.InvitationView.self)
            let before = try await world.database.digest()
            let bad = try await world.request(
                .post,
                "\(link)/assessment",
                as: nil,
                body: #"{"assessor_name":"Petra","answers":{"entrustment":0},"assessed_on":"2026-11-20"}"#
            )
            let unchanged = try await world.database.digest() == before
            let body = #"{"assessor_name":"Petra","answers":\#(Fixture.kba),"assessed_on":"2026-11-20"}"#
            let submitted = try await world.request(.post, "\(link)/assessment", as: nil, body: body)
            let again = try await world.request(.post, "\(link)/assessment", as: nil, body: body)
            let viewAgain = try await world.request(.get, link, as: nil)
            let unknown = try await world.request(
                .get,
                "/v1/invitations/inv_\(String(repeating: "A", count: 43))",
                as: nil
            )
            let asBearer = try await world.request(
                .get,
                "/v1/me",
                as: World.Actor(id: "", token: issued.token)
            )
            let list = try await world.request(
                .get,
                "/v1/portfolios/\(portfolio)/assessment-invitations",
                as: world.trainee
            ).decode(API.AssessmentInvitationList.self)
            let assessments = try await world.request(
                .get,
                "/v1/portfolios/\(portfolio)/assessments",
                as: world.trainee
            )
            .decode(API.AssessmentList.self)

            #expect(issued.url.hasSuffix(link) && issued.token.hasPrefix("inv_"))
            #expect(view.instrument == "kba" && view.traineeName == "Anna Aios" && view.formVersion == 1)
            #expect(bad.status == .unprocessableContent && unchanged)
            #expect(submitted.status == .created)
            #expect(again.status == .gone)
            #expect(try again.problem()._type == "https://dossier.example/problems/invitation-used")
            #expect(viewAgain.status == .gone)
            #expect(unknown.status == .notFound)
            #expect(asBearer.status == .unauthorized)
            #expect(list.items.map(\.status) == [.used])
            #expect(assessments.items.first?.assessor.role == "feedback_giver")
            #expect(assessments.items.first?.assessor.invitationId == issued.invitation.id)
            let rows = try await world.accessLogRows(about: world.trainee.id).filter { $0.resource == "assessment" }
            #expect(rows.map(\.rule) == ["invitation:\(issued.invitation.id)"])
            #expect(rows.first?.actor == nil)
        }
    }

    @Test func anInvitationExpiresAfterFourteenDays() async throws {
        try await World.test { world in
            let portfolio = try await world.portfolio()
            let issued = try await world.request(
                .post,
                "/v1/portfolios/\(portfolio)/assessment-invitations",
                as: world.trainee,
                body: #"{"instrument":"kba","invitee_name":"Petra"}"#
            ).decode(API.IssuedAssessmentInvitation.self)
            world.clock.advance(by: 14 * 24 * 3600 + 1)

            let late = try await world.request(
                .post,
                "/v1/invitations/\(issued.token)/assessment",
                as: nil,
                body: #"{"assessor_name":"Petra","answers":\#(Fixture.kba),"assessed_on":"2026-11-20"}"#
            )

            #expect(late.status == .gone)
            #expect(try late.problem()._type == "https://dossier.example/problems/invitation-expired")
        }
    }
}

extension AssessmentTests {
    @Test func anInvitationIsNeverReplayedBecauseItsResponseCarriesTheToken() async throws {
        try await World.test { world in
            let portfolio = try await world.portfolio()
            let path = "/v1/portfolios/\(portfolio)/assessment-invitations"
            let body = #"{"instrument":"kba","invitee_name":"Petra"}"#
            let headers: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "invite-1"]

            let first = try await world.request(.post, path, as: world.trainee, body: body, headers: headers)
            let replay = try await world.request(.post, path, as: world.trainee, body: body, headers: headers)

            #expect(first.status == .created)
            #expect(replay.status == .conflict)
            #expect(!String(buffer: replay.body).contains("inv_"))
        }
    }
}
