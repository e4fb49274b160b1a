import DossierAPI
import DossierCore
import DossierTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Input that PostgreSQL cannot hold or the contract does not allow: a clear 4xx naming the
/// field or parameter, never a 500, and not one row changed.
@Suite struct BadInputTests {
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let method: HTTPRequest.Method
        /// `{portfolio}`, `{entry}` and `{trainee}` are filled in from the world.
        let path: String
        let body: String?
        let actor: any KeyPath<World, World.Actor> & Sendable
        let status: Int
        let pointer: String
        var description: String { name }
    }

    static let nul = #"\u0000"#

    static let cases: [Case] = [
        Case(
            name: "NUL in an entry body",
            method: .post,
            path: "/v1/portfolios/{portfolio}/entries",
            body: #"{"kind":"reflection","title":"Week","body":"a\#(nul)b"}"#,
            actor: \.trainee,
            status: 422,
            pointer: "/body"
        ),
        Case(
            name: "NUL in a tag",
            method: .post,
            path: "/v1/portfolios/{portfolio}/entries",
            body: #"{"kind":"reflection","title":"Week","body":"ok","tags":["x\#(nul)"]}"#,
            actor: \.trainee,
            status: 422,
            pointer: "/tags/0"
        ),
        Case(
            name: "NUL in a comment",
            method: .post,
            path: "/v1/entries/{entry}/comments",
            body: #"{"body":"\#(nul)"}"#,
            actor: \.trainer,
            status: 422,
            pointer: "/body"
        ),
        Case(
            name: "NUL in an assessment answer",
            method: .post,
            path: "/v1/portfolios/{portfolio}/assessments",
            body: #"{"instrument":"kba","answers":{"entrustment":"\#(nul)"},"assessed_on":"2026-11-20"}"#,
            actor: \.trainer,
            status: 422,
            pointer: "/answers/entrustment"
        ),
        Case(
            name: "NUL in an invitee name",
            method: .post,
            path: "/v1/portfolios/{portfolio}/assessment-invitations",
            body: #"{"instrument":"kba","invitee_name":"Petra\#(nul)"}"#,
            actor: \.trainee,
            status: 422,
            pointer: "/invitee_name"
        ),
        Case(
            name: "NUL in an e-mail address",
            method: .post,
            path: "/v1/people",
            body: #"{"name":"Nul","email":"nul\#(nul)@dossier.test","roles":["teacher"]}"#,
            actor: \.admin,
            status: 422,
            pointer: "/email"
        ),
        Case(
            name: "NUL in a hold reason",
            method: .post,
            path: "/v1/admin/legal-holds",
            body: #"{"scope":"portfolio","subject_id":"{portfolio}","reason":"\#(nul)","case_reference":"C-1"}"#,
            actor: \.admin,
            status: 422,
            pointer: "/reason"
        ),
        Case(
            name: "NUL in a form title",
            method: .post,
            path: "/v1/forms",
            body: #"{"key":"nul-form","title":"T\#(nul)","purpose":"assessment"}"#,
            actor: \.coordinator,
            status: 422,
            pointer: "/title"
        ),
        Case(
            name: "NUL in a key of an object",
            method: .post,
            path: "/v1/portfolios/{portfolio}/assessments",
            body: #"{"instrument":"kba","answers":{"a\#(nul)":1},"assessed_on":"2026-11-20"}"#,
            actor: \.trainer,
            status: 422,
            pointer: "/answers/a\u{0}"
        ),
        Case(
            name: "NUL in q=",
            method: .get,
            path: "/v1/people?q=an%00na",
            body: nil,
            actor: \.admin,
            status: 422,
            pointer: "#/query/q"
        ),
        Case(
            name: "a form version beyond int32 in the path",
            method: .get,
            path: "/v1/forms/kba/versions/2147483648",
            body: nil,
            actor: \.coordinator,
            status: 404,
            pointer: "#/path/version"
        ),
        Case(
            name: "a form_version of 2^31 in an assessment",
            method: .post,
            path: "/v1/portfolios/{portfolio}/assessments",
            body: #"{"instrument":"kba","form_version":2147483648,"answers":{},"assessed_on":"2026-11-20"}"#,
            actor: \.trainer,
            status: 422,
            pointer: "/form_version"
        ),
        Case(
            name: "garbage after a valid date-time",
            method: .get,
            path: "/v1/people?updated_since=2026-01-01T00:00:00Zjunk",
            body: nil,
            actor: \.admin,
            status: 422,
            pointer: "#/query/updated_since"
        ),
        Case(
            name: "a date-time whose + was not encoded",
            method: .get,
            path: "/v1/people?updated_since=2026-01-01T00:00:00+01:00",
            body: nil,
            actor: \.admin,
            status: 422,
            pointer: "#/query/updated_since"
        ),
        Case(
            name: "a limit that is not a number",
            method: .get,
            path: "/v1/people?limit=ten",
            body: nil,
            actor: \.admin,
            status: 422,
            pointer: "#/query/limit"
        ),
        Case(
            name: "a boolean query parameter that is not one",
            method: .get,
            path: "/v1/supervisions?active=yes",
            body: nil,
            actor: \.admin,
            status: 422,
            pointer: "#/query/active"
        ),
        Case(
            name: "a malformed id in the path",
            method: .get,
            path: "/v1/people/not-a-uuid",
            body: nil,
            actor: \.admin,
            status: 404,
            pointer: "#/path/id"
        ),
    ]

    @Test(arguments: cases)
    func isRefusedWithItsPointerAndChangesNothing(_ testCase: Case) async throws {
        try await World.test { world in
            let (portfolio, entry) = (try await world.portfolio(), try await world.sharedEntry())
            let fill = { (text: String) in
                text.replacingOccurrences(of: "{portfolio}", with: portfolio)
                    .replacingOccurrences(of: "{entry}", with: entry)
                    .replacingOccurrences(of: "{trainee}", with: world.trainee.id)
            }
            let before = try await world.database.digest()

            let response = try await world.request(
                testCase.method,
                fill(testCase.path),
                as: world[keyPath: testCase.actor],
                body: testCase.body.map(fill)
            )

            #expect(Int(response.status.code) == testCase.status, "\(String(buffer: response.body))")
            let problem = try response.problem()
            #expect(problem.errors?.map(\.pointer).contains(testCase.pointer) == true, "\(problem)")
            #expect(try await world.database.digest() == before)
        }
    }

    @Test func theParameterTableCoversEveryOperationOfTheContract() throws {
        #expect(Set(ContractParameter.byOperation.keys) == Set(APIOperation.allCases.map(\.rawValue)))
        let version = try #require(ContractParameter.byOperation["getFormVersion"]?.first { $0.name == "version" })
        guard case .integer(let minimum, let maximum) = version.kind else {
            Issue.record("version is not an integer parameter")
            return
        }
        #expect(minimum == 1 && maximum == Int(Int32.max))
    }

    @Test func aPatchThatBreaksSeveralRulesNamesEveryBadField() async throws {
        try await World.test { world in
            let person = try await world.request(.get, "/v1/people/\(world.trainee.id)", as: world.coordinator)
            let etag = try #require(person.headers[.eTag])
            let before = try await world.database.digest()

            let response = try await world.request(
                .patch,
                "/v1/people/\(world.trainee.id)",
                as: world.coordinator,
                body: #"{"trainee":{"training_year":7,"site":"utrecht","expected_end_date":"2020-13-01"}}"#,
                headers: [.contentType: "application/merge-patch+json", .ifMatch: etag]
            )

            #expect(response.status == .unprocessableContent)
            #expect(
                Set(try response.problem().errors?.map(\.pointer) ?? [])
                    == ["/trainee/training_year", "/trainee/site", "/trainee/expected_end_date"]
            )
            #expect(try await world.database.digest() == before)
        }
    }

    @Test func ifMatchStarIsRefusedSoNoPatchSkipsTheLostUpdateGuard() async throws {
        try await World.test { world in
            let before = try await world.database.digest()

            let response = try await world.request(
                .patch,
                "/v1/people/\(world.trainee.id)",
                as: world.trainee,
                body: #"{"name":"Anna Overschreven"}"#,
                headers: [.contentType: "application/merge-patch+json", .ifMatch: "*"]
            )

            #expect(response.status == .preconditionRequired)
            #expect(try response.problem().detail?.contains("If-Match: *") == true)
            #expect(try await world.database.digest() == before)
        }
    }

    @Test func rfc3339DateTimesWithFractionsAndOffsetsAreAcceptedInQueries() async throws {
        try await World.test { world in
            let later = try await world.request(
                .get,
                "/v1/people?updated_since=2099-01-01T01:00:00.250%2B01:00",
                as: world.admin
            ).decode(API.PersonList.self)
            let earlier = try await world.request(
                .get,
                "/v1/people?updated_since=2000-01-01T00:00:00.5z",
                as: world.admin
            ).decode(API.PersonList.self)

            #expect(later.items.isEmpty)
            #expect(earlier.items.count == 7)
        }
    }

    @Test func everyResponseSaysNosniffAndNoStore() async throws {
        try await World.test { world in
            for (path, actor) in [
                ("/v1/people/\(world.trainee.id)", world.trainee), ("/v1/health", world.trainee),
                ("/v1/people/\(UUID())", world.admin), ("/nowhere", world.admin),
            ] {
                let response = try await world.request(.get, path, as: actor)
                #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(path)")
                #expect(response.headers[.cacheControl] == "no-store", "\(path)")
            }
            let contract = try await world.request(.get, "/openapi.yaml", as: nil)
            #expect(contract.headers[.xContentTypeOptions] == "nosniff")
        }
    }
}
