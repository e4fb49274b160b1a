import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DossierServer

/// Every error class leaves as `application/problem+json` with its status, a stable `type` and
/// the request id as `instance`.
@Suite struct ProblemTests {
    static func expectProblem(
        _ response: TestResponse,
        status: HTTPResponse.Status,
        slug: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> APIProblem {
        #expect(response.status == status, sourceLocation: sourceLocation)
        #expect(
            response.headers[.contentType] == "application/problem+json; charset=utf-8",
            sourceLocation: sourceLocation
        )
        let problem = try response.problem()
        #expect(problem._type == "https://dossier.example/problems/\(slug)", sourceLocation: sourceLocation)
        #expect(problem.status == Int(status.code), sourceLocation: sourceLocation)
        #expect(problem.instance != nil, sourceLocation: sourceLocation)
        #expect(problem.instance == response.headers[.requestID], sourceLocation: sourceLocation)
        return problem
    }

    static let json: HTTPFields = [.contentType: "application/json"]

    @Test func anUnknownRouteIs404() async throws {
        try await TestApp.testConventions { client in
            let response = try await client.execute(uri: "/v1/nope", method: .post, headers: [.requestID: "req-404"])

            let problem = try Self.expectProblem(response, status: .notFound, slug: "not-found")
            #expect(problem.instance == "req-404")
        }
    }

    @Test func aKnownPathWithAnUndeclaredMethodIs405WithAllow() async throws {
        try await TestApp.testConventions { client in
            let response = try await client.execute(uri: "/v1/echoes", method: .delete)

            let problem = try Self.expectProblem(response, status: .methodNotAllowed, slug: "method-not-allowed")
            #expect(response.headers[.allow] == "POST")
            #expect(problem.detail == "DELETE is not allowed here; use POST.")
        }
    }

    @Test func validJSONGetsThroughTheStack() async throws {
        try await TestApp.testConventions { client in
            let response = try await client.execute(
                uri: "/v1/echoes",
                method: .post,
                headers: Self.json,
                body: ByteBuffer(string: #"{"name":"ipo","count":2}"#)
            )

            #expect(response.status == .created)
            #expect(try response.decode(Components.Schemas.Echo.self) == .init(name: "ipo", count: 2))
        }
    }

    @Test func malformedJSONIs400() async throws {
        try await TestApp.testConventions { client in
            let response = try await client.execute(
                uri: "/v1/echoes",
                method: .post,
                headers: Self.json,
                body: ByteBuffer(string: #"{"name": "#)
            )

            let problem = try Self.expectProblem(response, status: .badRequest, slug: "malformed-request")
            #expect(problem.detail == "The request body is not valid JSON.")
        }
    }

    @Test func anUnknownFieldIs400NamingIt() async throws {
        try await TestApp.testConventions { client in
            let response = try await client.execute(
                uri: "/v1/echoes",
                method: .post,
                headers: Self.json,
                body: ByteBuffer(string: #"{"name":"ipo","colour":"red"}"#)
            )

            let problem = try Self.expectProblem(response, status: .badRequest, slug: "unknown-field")
            #expect(problem.errors?.map(\.pointer) == ["/colour"])
        }
    }

    @Test(arguments: [
        (#"{"count":1}"#, "/name", "is required"),
        (#"{"name":5}"#, "/name", "must be a string"),
        (#"{"name":null}"#, "/name", "must not be null"),
    ])
    func aMissingOrMistypedFieldIs400WithItsPointer(body: String, pointer: String, detail: String) async throws {
        try await TestApp.testConventions { client in
            let response = try await client.execute(
                uri: "/v1/echoes",
                method: .post,
                headers: Self.json,
                body: ByteBuffer(string: body)
            )

            let problem = try Self.expectProblem(response, status: .badRequest, slug: "malformed-request")
            #expect(problem.errors?.count == 1)
            #expect(problem.errors?.first?.pointer == pointer)
            #expect(problem.errors?.first?.detail == detail)
        }
    }

    @Test func aWrongContentTypeIs415() async throws {
        try await TestApp.testConventions { client in
            let response = try await client.execute(
                uri: "/v1/echoes",
                method: .post,
                headers: [.contentType: "text/plain"],
                body: ByteBuffer(string: "name=ipo")
            )

            let problem = try Self.expectProblem(
                response,
                status: .unsupportedMediaType,
                slug: "unsupported-media-type"
            )
            #expect(problem.detail?.contains("application/json") == true)
        }
    }

    @Test func aBodyAnnouncedOverTheLimitIs413BeforeReading() async throws {
        try await TestApp.testConventions(maximumBodyBytes: 64) { client in
            var headers = Self.json
            headers[.contentLength] = "65"
            let response = try await client.execute(
                uri: "/v1/echoes",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: String(repeating: " ", count: 65))
            )

            let problem = try Self.expectProblem(response, status: .contentTooLarge, slug: "content-too-large")
            #expect(problem.detail == "The request body is larger than this operation's limit of 64 bytes.")
        }
    }

    @Test func aBodyStreamedPastTheLimitWithoutALengthIs413() async throws {
        try await TestApp.testConventions(maximumBodyBytes: 64) { client in
            let body = #"{"name":"\#(String(repeating: "x", count: 100))"}"#
            let response = try await client.execute(
                uri: "/v1/echoes",
                method: .post,
                headers: Self.json,
                body: ByteBuffer(string: body)
            )

            _ = try Self.expectProblem(response, status: .contentTooLarge, slug: "content-too-large")
        }
    }

    @Test func theDefaultLimitIsOneMebibyte() async throws {
        try await TestApp.testConventions { client in
            let body = #"{"name":"\#(String(repeating: "x", count: 1 << 20))"}"#
            let response = try await client.execute(
                uri: "/v1/echoes",
                method: .post,
                headers: Self.json,
                body: ByteBuffer(string: body)
            )

            let problem = try Self.expectProblem(response, status: .contentTooLarge, slug: "content-too-large")
            #expect(
                problem.detail == "The request body is larger than this operation's limit of 1 MiB (1048576 bytes)."
            )
        }
    }
}
