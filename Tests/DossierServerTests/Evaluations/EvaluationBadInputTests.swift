import DossierAPI
import DossierCore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Every refusal of the evaluations API: its status, problem type and pointer, and that nothing changed.
@Suite struct EvaluationBadInputTests {
    static func body(_ fields: String, form: String = "education-moment-evaluation") -> String {
        #"""
        {"title":"Module 3","form_key":"\#(form)","subject":{"kind":"education_moment","on":"2026-11-20"},
         "respondents":{"kind":"people","people":["__TRAINEE__"]}\#(fields)}
        """#
    }

    @Test(
        arguments: [
            (body("", form: "kba"), "/form_key"),
            (body("", form: "draft-evaluation"), "/form_key"),
            (body(#","min_responses":2"#), "/min_responses"),
            (body(#","opens_at":"2026-12-01T10:00:00Z","closes_at":"2026-11-30T10:00:00Z""#), "/closes_at"),
            (body(#","target_rate":0"#), "/target_rate"),
            (
                #"{"title":"x","form_key":"module-evaluation","subject":{"kind":"education_moment"},"respondents":{"kind":"subject"}}"#,
                "/subject/on"
            ),
            (
                #"{"title":"x","form_key":"module-evaluation","subject":{"kind":"module","name":"M","teacher_ids":["__TRAINEE__"]},"respondents":{"kind":"people","people":["__TRAINEE__"]}}"#,
                "/subject/teacher_ids/0"
            ),
            (
                #"{"title":"x","form_key":"module-evaluation","subject":{"kind":"module","name":"M"},"respondents":{"kind":"people","people":["0199a8d0-0000-7000-8000-000000000000"]}}"#,
                "/respondents/people"
            ),
            (
                #"{"title":"x","form_key":"module-evaluation","subject":{"kind":"trainer"},"respondents":{"kind":"subject"}}"#,
                "/subject/trainer_id"
            ),
        ]
    )
    func aBadEvaluationIsRefusedByPointerAndNothingIsStored(body: String, pointer: String) async throws {
        try await World.test { world in
            _ = try await world.request(
                .post,
                "/v1/forms",
                as: world.coordinator,
                body: #"{"key":"draft-evaluation","title":"Draft","purpose":"evaluation"}"#
            )
            let before = try await world.database.digest()
            let response = try await world.request(
                .post,
                "/v1/evaluations",
                as: world.coordinator,
                body: body.replacingOccurrences(of: "__TRAINEE__", with: world.trainee.id)
            )
            let problem = try response.problem()

            #expect(response.status == .unprocessableContent, "\(String(buffer: response.body))")
            #expect(problem._type == "https://dossier.example/problems/validation-failed")
            #expect(problem.errors?.map(\.pointer).contains(pointer) == true, "\(problem.errors ?? [])")
            #expect(try await world.database.digest() == before)
        }
    }

    @Test func responsesOutsideTheRulesAreRefusedAndChangeNothing() async throws {
        try await World.test { world in
            let respondents = try await world.trainees(3)
            let id = try await world.evaluation(of: respondents)
            let path = "/v1/evaluations/\(id)/responses"
            _ = try await world.request(.post, path, as: respondents[0], body: World.answers(overall: 3))
            // A token's first use records it; that is not what this test is about.
            for actor in [respondents[1], world.otherTrainee] { _ = try await world.request(.get, "/v1/me", as: actor) }
            let before = try await world.database.digest()

            let again = try await world.request(.post, path, as: respondents[0], body: World.answers(overall: 1))
            let stranger = try await world.request(.post, path, as: world.otherTrainee, body: World.answers(overall: 1))
            let unknown = try await world.request(
                .post,
                "/v1/evaluations/\(UUID().uuidString.lowercased())/responses",
                as: respondents[1],
                body: World.answers(overall: 1)
            )
            let wrong = try await world.request(
                .post,
                path,
                as: respondents[1],
                body: #"{"answers":{"overall":9,"mood":"good"}}"#
            )
            let nul = try await world.request(
                .post,
                path,
                as: respondents[1],
                body: #"{"answers":{"overall":3,"teaching":3,"keep":"a\u0000b"}}"#
            )
            let afterAll = try await world.database.digest()
            world.clock.advance(by: 8 * 86_400)
            let late = try await world.request(.post, path, as: respondents[1], body: World.answers(overall: 3))

            #expect(again.status == .conflict)
            #expect(try again.problem()._type == "https://dossier.example/problems/evaluation-answered")
            #expect(stranger.status == .notFound && unknown.status == .notFound)
            #expect(wrong.status == .unprocessableContent)
            #expect(
                try wrong.problem().errors?.map(\.pointer) == [
                    "/answers/mood", "/answers/overall", "/answers/teaching",
                ]
            )
            #expect(nul.status == .unprocessableContent)
            #expect(late.status == .conflict)
            #expect(try late.problem()._type == "https://dossier.example/problems/evaluation-not-open")
            #expect(try late.problem().detail?.contains("has closed") == true)
            #expect(afterAll == before)
            // The late request's token use is recorded (a day has passed); the evaluation's rows are not touched.
            let afterLate = try await world.database.digest()
            for table in ["evaluation_assignments", "evaluation_inbox", "evaluation_counts", "evaluations"] {
                #expect(afterLate[table] == before[table], "\(table)")
            }
        }
    }

    @Test func aResponseBeforeTheOpeningNamesTheWindow() async throws {
        try await World.test { world in
            let created = try await world.request(
                .post,
                "/v1/evaluations",
                as: world.coordinator,
                body:
                    #"{"title":"Later","form_key":"module-evaluation","subject":{"kind":"module","name":"M4"},"respondents":{"kind":"people","people":["\#(world.trainee.id)"]},"opens_at":"2026-12-01T09:00:00Z"}"#
            ).decode(API.Evaluation.self)
            let early = try await world.request(
                .post,
                "/v1/evaluations/\(created.id)/responses",
                as: world.trainee,
                body: #"{"answers":{"overall":3}}"#
            )

            #expect(created.closesAt == RFC3339.date(from: "2026-12-15T09:00:00Z"))
            #expect(early.status == .conflict)
            #expect(
                try early.problem().detail
                    == "This evaluation is not open yet; it takes responses from 2026-12-01T09:00:00Z to 2026-12-15T09:00:00Z."
            )
        }
    }

    @Test func anAnsweredEvaluationStaysAnonymousAndChangesNeedTheETag() async throws {
        try await World.test { world in
            let respondents = try await world.trainees(3)
            let answered = try await world.evaluation(of: respondents)
            let unanswered = try await world.evaluation(of: respondents)
            _ = try await world.answer(answered, as: respondents[0], World.answers(overall: 2))
            let etag = try #require(
                try await world.request(.get, "/v1/evaluations/\(answered)", as: world.coordinator).headers[.eTag]
            )
            let before = try await world.database.digest()
            let named = try await world.request(
                .patch,
                "/v1/evaluations/\(answered)",
                as: world.coordinator,
                body: #"{"anonymous":false}"#,
                headers: Fixture.mergePatch(ifMatch: etag)
            )
            let noETag = try await world.request(
                .patch,
                "/v1/evaluations/\(unanswered)",
                as: world.coordinator,
                body: #"{"anonymous":false}"#,
                headers: Fixture.mergePatch
            )
            let threshold = try await world.request(
                .patch,
                "/v1/evaluations/\(answered)",
                as: world.coordinator,
                body: #"{"min_responses":2}"#,
                headers: Fixture.mergePatch(ifMatch: etag)
            )
            let unchanged = try await world.database.digest()
            let otherETag = try #require(
                try await world.request(.get, "/v1/evaluations/\(unanswered)", as: world.coordinator).headers[.eTag]
            )
            let switched = try await world.request(
                .patch,
                "/v1/evaluations/\(unanswered)",
                as: world.coordinator,
                body: #"{"anonymous":false,"target_rate":60}"#,
                headers: Fixture.mergePatch(ifMatch: otherETag)
            )

            #expect(named.status == .conflict)
            #expect(try named.problem()._type == "https://dossier.example/problems/evaluation-stays-anonymous")
            #expect(noETag.status == .preconditionRequired)
            #expect(threshold.status == .unprocessableContent)
            #expect(try threshold.problem().errors?.map(\.pointer) == ["/min_responses"])
            #expect(unchanged == before)
            #expect(switched.status == .ok)
            let body = try switched.decode(API.Evaluation.self)
            #expect(!body.anonymous && body.targetRate == 60)
        }
    }
}
