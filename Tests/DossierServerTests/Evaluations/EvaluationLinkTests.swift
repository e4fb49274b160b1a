import DossierAPI
import DossierCore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// A personal response link: the link is the credential, for one assignment, once, until the close.
@Suite struct EvaluationLinkTests {
    static func link(_ world: World, _ evaluation: String, as actor: World.Actor) async throws -> TestResponse {
        try await world.request(.post, "/v1/me/evaluations/\(evaluation)/link", as: actor)
    }

    @Test func aLinkAnswersItsAssignmentOnceWithoutSigningIn() async throws {
        try await World.test { world in
            let respondents = try await world.trainees(3)
            let id = try await world.evaluation(of: respondents)
            let issued = try await Self.link(world, id, as: respondents[0]).decode(API.IssuedEvaluationLink.self)
            let path = "/v1/evaluation-links/\(issued.token)"
            let view = try await world.request(.get, path, as: nil)
            let asBearer = try await world.request(
                .get,
                "/v1/me",
                as: World.Actor(id: respondents[0].id, token: issued.token)
            )
            let answered = try await world.request(.post, path, as: nil, body: World.answers(overall: 4))
            let again = try await world.request(.post, path, as: nil, body: World.answers(overall: 1))
            let viewAfter = try await world.request(.get, path, as: nil)
            let signedIn = try await world.answer(id, as: respondents[0], World.answers(overall: 2))
            let mine = try await world.request(.get, "/v1/me/evaluations", as: respondents[0])
                .decode(API.MyEvaluationList.self)

            #expect(issued.url == "http://dossier.test/v1/evaluation-links/\(issued.token)")
            #expect(issued.token.hasPrefix("evl_"))
            #expect(view.status == .ok)
            #expect(
                try view.decode(API.EvaluationLinkView.self).definition.questions.map(\.id) == [
                    "overall", "teaching", "keep", "change",
                ]
            )
            #expect(asBearer.status == .unauthorized)
            #expect(answered.status == .created)
            #expect(again.status == .gone)
            #expect(try again.problem()._type == "https://dossier.example/problems/evaluation-link-used")
            #expect(viewAfter.status == .gone)
            #expect(signedIn.status == .conflict)
            #expect(mine.items.first?.answered == true)
        }
    }

    @Test func anAlteredReplacedOrExpiredLinkAnswersNothing() async throws {
        try await World.test { world in
            let respondents = try await world.trainees(3)
            let id = try await world.evaluation(of: respondents)
            let first = try await Self.link(world, id, as: respondents[0]).decode(API.IssuedEvaluationLink.self)
            let second = try await Self.link(world, id, as: respondents[0]).decode(API.IssuedEvaluationLink.self)
            let last = second.token.last == "A" ? "B" : "A"
            let tampered = String(second.token.dropLast()) + last
            let stranger = try await Self.link(world, id, as: world.otherTrainee)
            let before = try await world.database.digest()

            let replaced = try await world.request(.get, "/v1/evaluation-links/\(first.token)", as: nil)
            let altered = try await world.request(
                .post,
                "/v1/evaluation-links/\(tampered)",
                as: nil,
                body: World.answers(overall: 3)
            )
            let malformed = try await world.request(.get, "/v1/evaluation-links/evl_short", as: nil)
            let wrong = try await world.request(
                .post,
                "/v1/evaluation-links/\(second.token)",
                as: nil,
                body: #"{"answers":{"overall":"good"}}"#
            )
            let unchanged = try await world.database.digest()
            world.clock.advance(by: 8 * 86_400)
            let expired = try await world.request(
                .post,
                "/v1/evaluation-links/\(second.token)",
                as: nil,
                body: World.answers(overall: 3)
            )
            let lateLink = try await Self.link(world, id, as: respondents[1])

            #expect(stranger.status == .notFound)
            #expect(replaced.status == .notFound)
            #expect(altered.status == .notFound)
            #expect(malformed.status == .notFound)
            #expect(wrong.status == .unprocessableContent)
            #expect(try wrong.problem().errors?.map(\.pointer) == ["/answers/overall", "/answers/teaching"])
            #expect(unchanged == before)
            #expect(expired.status == .gone)
            #expect(try expired.problem()._type == "https://dossier.example/problems/evaluation-link-expired")
            #expect(lateLink.status == .conflict)
        }
    }
}
