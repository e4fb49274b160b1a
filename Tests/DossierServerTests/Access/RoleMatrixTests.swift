import DossierAPI
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The need-to-know matrix through HTTP against PostgreSQL: every role against the operations
/// on people, supervisions, groups, tokens and service clients.
@Suite struct RoleMatrixTests {
    struct Case: Sendable, CustomStringConvertible {
        let method: HTTPRequest.Method
        let path: String
        let body: String?
        let expected: [String: Int]
        var description: String { "\(method) \(path)" }
    }

    /// Status per actor; the placeholders {trainee} and {other} are the two trainees' ids.
    static let cases: [Case] = [
        Case(
            method: .get,
            path: "/v1/people/{trainee}",
            body: nil,
            expected: [
                "trainee": 200, "otherTrainee": 404, "trainer": 200, "formerTrainer": 404, "teacher": 404,
                "coordinator": 200, "admin": 200, "reportingClient": 200, "narrowClient": 403, "anonymous": 401,
            ]
        ),
        Case(
            method: .get,
            path: "/v1/people",
            body: nil,
            expected: [
                "trainee": 403, "trainer": 200, "teacher": 200, "coordinator": 200, "admin": 200,
                "reportingClient": 200,
                "narrowClient": 403, "anonymous": 401,
            ]
        ),
        Case(
            method: .get,
            path: "/v1/people/{trainee}/access-log",
            body: nil,
            expected: [
                "trainee": 200, "otherTrainee": 404, "trainer": 403, "formerTrainer": 404, "coordinator": 200,
                "admin": 200,
                "reportingClient": 403,
            ]
        ),
        Case(
            method: .patch,
            path: "/v1/people/{other}",
            body: #"{"name":"Renamed"}"#,
            expected: [
                "trainee": 404, "trainer": 404, "coordinator": 428, "reportingClient": 403,
            ]
        ),
        Case(
            method: .post,
            path: "/v1/people/{other}/completion",
            body: #"{"completed_at":"2026-11-01","outcome":"completed"}"#,
            expected: [
                "trainee": 404, "otherTrainee": 403, "trainer": 404, "reportingClient": 403, "admin": 200,
            ]
        ),
        Case(
            method: .get,
            path: "/v1/supervisions",
            body: nil,
            expected: [
                "trainee": 200, "trainer": 200, "coordinator": 200, "admin": 200, "reportingClient": 200,
                "narrowClient": 403,
            ]
        ),
        Case(
            method: .post,
            path: "/v1/groups",
            body: #"{"name":"Jaar 1 groep {n}","kind":"year","training_year":1,"site":"leiden"}"#,
            expected: [
                "trainee": 403, "trainer": 403, "teacher": 403, "coordinator": 201, "admin": 201, "narrowClient": 403,
            ]
        ),
        Case(
            method: .get,
            path: "/v1/groups",
            body: nil,
            expected: [
                "trainee": 200, "teacher": 200, "reportingClient": 200, "narrowClient": 403,
            ]
        ),
        Case(
            method: .post,
            path: "/v1/tokens",
            body: #"{"name":"laptop"}"#,
            expected: [
                "trainee": 201, "trainer": 201, "coordinator": 201, "admin": 201, "reportingClient": 403,
                "anonymous": 401,
            ]
        ),
        Case(
            method: .get,
            path: "/v1/service-clients",
            body: nil,
            expected: [
                "trainee": 403, "coordinator": 403, "admin": 200, "reportingClient": 403,
            ]
        ),
        Case(
            method: .post,
            path: "/v1/people",
            body: #"{"name":"New {n}","email":"new{n}@dossier.test","roles":["teacher"]}"#,
            expected: [
                "trainee": 403, "trainer": 403, "coordinator": 403, "admin": 201, "reportingClient": 403,
                "narrowClient": 403,
            ]
        ),
        Case(
            method: .get,
            path: "/v1/me",
            body: nil,
            expected: [
                "trainee": 200, "trainer": 200, "admin": 200, "reportingClient": 200, "narrowClient": 403,
                "anonymous": 401,
            ]
        ),
    ]

    @Test(arguments: cases)
    func eachRoleGetsWhatItNeedsToKnowAndNoMore(_ testCase: Case) async throws {
        try await World.test { world in
            let actors: [String: World.Actor?] = [
                "trainee": world.trainee, "otherTrainee": world.otherTrainee, "trainer": world.trainer,
                "formerTrainer": world.formerTrainer, "teacher": world.teacher, "coordinator": world.coordinator,
                "admin": world.admin, "reportingClient": world.reportingClient, "narrowClient": world.narrowClient,
                "anonymous": nil,
            ]
            for (index, (name, status)) in testCase.expected.sorted(by: { $0.key < $1.key }).enumerated() {
                let path = testCase.path.replacingOccurrences(of: "{trainee}", with: world.trainee.id)
                    .replacingOccurrences(of: "{other}", with: world.otherTrainee.id)
                let body = testCase.body?.replacingOccurrences(of: "{n}", with: String(index))
                let headers: HTTPFields =
                    testCase.method == .patch ? [.contentType: "application/merge-patch+json"] : [:]
                let response = try await world.request(
                    testCase.method,
                    path,
                    as: actors[name] ?? nil,
                    body: body,
                    headers: headers
                )

                #expect(Int(response.status.code) == status, "\(testCase) as \(name): \(String(buffer: response.body))")
                if status >= 400 {
                    #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                }
            }
        }
    }

    @Test func aTrainerListsOnlyTheTraineesTheySuperviseToday() async throws {
        try await World.test { world in
            let current = try await world.request(.get, "/v1/people", as: world.trainer).decode(API.PersonList.self)
            let former = try await world.request(.get, "/v1/people", as: world.formerTrainer).decode(
                API.PersonList.self
            )

            #expect(current.items.map(\.id) == [world.trainee.id])
            #expect(former.items.isEmpty)
        }
    }
}
