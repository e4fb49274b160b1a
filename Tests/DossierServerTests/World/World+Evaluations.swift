import DossierAPI
import DossierCore
import DossierServer
import DossierTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting

extension World {
    /// `count` more trainees at `site`, each with a token of their own.
    func trainees(_ count: Int, site: String = "leiden") async throws -> [Actor] {
        var actors: [Actor] = []
        for index in 0..<count {
            let email = "respondent\(index).\(site)@dossier.test"
            let created = try await request(
                .post,
                "/v1/people",
                as: admin,
                body:
                    #"{"name":"Respondent \#(index)","email":"\#(email)","roles":["trainee"],"trainee":{"start_date":"2025-03-01","expected_end_date":"2028-03-01","training_year":1,"site":"\#(site)"}}"#
            )
            precondition(created.status == .created, "fixture trainee: \(String(buffer: created.body))")
            actors.append(try await freshToken(email: email, role: .trainee))
        }
        return actors
    }

    /// An evaluation of an education moment on the example form, open from an hour ago for a week,
    /// taught by the world's teacher, answered by `respondents`.
    func evaluation(
        of respondents: [Actor],
        anonymous: Bool = true,
        minimum: Int = 3,
        teachers: [Actor]? = nil,
        opensOn: String? = nil
    ) async throws -> String {
        let opens = opensOn.map { "\($0)T08:00:00Z" } ?? RFC3339.string(from: clock.now().addingTimeInterval(-3_600))
        let closes = RFC3339.string(from: clock.now().addingTimeInterval(7 * 86_400))
        let people = respondents.map { #""\#($0.id)""# }.joined(separator: ",")
        let teacherIDs = (teachers ?? [teacher]).map { #""\#($0.id)""# }.joined(separator: ",")
        let response = try await request(
            .post,
            "/v1/evaluations",
            as: coordinator,
            body: #"""
                {"title":"Terugkomdag 12","form_key":"education-moment-evaluation",
                 "subject":{"kind":"education_moment","on":"2026-11-23","teacher_ids":[\#(teacherIDs)]},
                 "respondents":{"kind":"people","people":[\#(people)]},
                 "opens_at":"\#(opens)","closes_at":"\#(closes)","anonymous":\#(anonymous),"min_responses":\#(minimum)}
                """#
        )
        precondition(response.status == .created, "fixture evaluation: \(String(buffer: response.body))")
        return try response.decode(API.Evaluation.self).id
    }

    /// `actor`'s response to an evaluation, signed in.
    func answer(_ evaluation: String, as actor: Actor, _ body: String) async throws -> TestResponse {
        try await request(.post, "/v1/evaluations/\(evaluation)/responses", as: actor, body: body)
    }

    /// A valid response to the example education-moment form.
    static func answers(overall: Int, teaching: Int = 4, keep: String? = nil) -> String {
        let text = keep.map { #","keep":"\#($0)""# } ?? ""
        return #"{"answers":{"overall":\#(overall),"teaching":\#(teaching)\#(text)}}"#
    }

    /// Runs the worker's fold as the worker would, on the world's clock.
    func fold() async throws -> Int {
        try await database.withAppClient { client in
            try await EvaluationFold(
                database: Database(client: client, logger: TestLogger.make("test.fold")),
                clock: clock,
                secretKey: TestApp.secretKey,
                logger: TestLogger.make("test.fold")
            ).run()
        }
    }
}
