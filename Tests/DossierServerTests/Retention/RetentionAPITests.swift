import DossierAPI
import DossierCore
import DossierTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Testing

@testable import DossierServer

@Suite("Retention and legal holds over the API")
struct RetentionAPITests {
    /// Bram's training ended on 1 June 2024: two years later his portfolio is due.
    static func makeBramDue(_ world: World) async throws -> String {
        _ = try await world.database.withOwnerClient { client in
            try await client.query(
                """
                UPDATE trainee_profiles SET start_date = '2021-09-01', status = 'completed', completed_at = '2024-06-01'
                WHERE person_id = \(UUID(uuidString: world.otherTrainee.id)!)
                """,
                logger: TestLogger.make("test.sql")
            )
        }
        let portfolio = try await world.request(
            .get,
            "/v1/people/\(world.otherTrainee.id)/portfolio",
            as: world.coordinator
        )
        return try portfolio.decode(API.Portfolio.self).id
    }

    static func execute(_ world: World, _ run: String) async throws {
        try await world.database.withAppClient { client in
            try await RetentionExecutor(
                database: Database(client: client, logger: TestLogger.make("test.retention")),
                clock: world.clock,
                secretKey: TestApp.secretKey,
                pause: .zero,
                logger: TestLogger.make("test.retention")
            ).execute(RetentionRun.ID(run)!)
        }
    }

    static func extensions(_ response: TestResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any] ?? [:]
    }

    /// Another person with the admin role, for the four eyes on a run.
    static func secondAdmin(_ world: World) async throws -> World.Actor {
        let created = try await world.request(
            .post,
            "/v1/people",
            as: world.admin,
            body: #"{"name":"Bo Beheer","email":"bo@dossier.test","roles":["admin"]}"#
        )
        #expect(created.status == .created)
        return try await world.freshToken(email: "bo@dossier.test", role: .admin)
    }

    @Test("An admin plans, approves past the circuit breaker, and proves the disposal; a late hold is told which run")
    func theAdminFlow() async throws {
        try await World.test { world in
            let portfolio = try await Self.makeBramDue(world)
            let admin = world.admin

            let dry = try await world.request(
                .post,
                "/v1/admin/retention/runs",
                as: admin,
                body: #"{"mode":"dry_run"}"#
            )
            #expect(dry.status == .created)
            let dryRun = try dry.decode(API.RetentionRun.self)
            #expect(dryRun.status == .planned && dryRun.counts.purge == 1 && dryRun.windows.active == 1)
            let candidates = try await world.request(
                .get,
                "/v1/admin/retention/runs/\(dryRun.id)/candidates",
                as: admin
            )
            .decode(API.RetentionCandidateList.self)
            #expect(candidates.items.map(\.portfolioId) == [portfolio])
            #expect(candidates.items.first?.deleteAfter == "2026-06-01" && candidates.items.first?.planned == .purge)

            let policy = try await world.request(
                .post,
                "/v1/admin/retention/policy/versions",
                as: admin,
                body:
                    #"{"keep_months":24,"download_months":6,"grace_days":14,"auto_approve_max":0,"reason":"Review every run"}"#
            )
            #expect(policy.status == .created)
            #expect(try policy.decode(API.RetentionPolicy.self).version == 2)

            let planned = try await world.request(
                .post,
                "/v1/admin/retention/runs",
                as: admin,
                body: #"{"mode":"execute"}"#
            )
            .decode(API.RetentionRun.self)
            #expect(planned.status == .awaitingApproval && planned.policyVersion == 2)
            let early = try await world.request(.get, "/v1/admin/retention/runs/\(planned.id)/certificate", as: admin)
            #expect(early.status == .conflict)
            #expect(try early.problem()._type.hasSuffix("/run-not-finished"))
            let unchanged = try await world.database.digest()
            let own = try await world.request(.post, "/v1/admin/retention/runs/\(planned.id)/approve", as: admin)
            #expect(own.status == .conflict)
            #expect(try own.problem()._type.hasSuffix("/four-eyes-required"))
            #expect(try await world.database.digest() == unchanged)
            let second = try await Self.secondAdmin(world)
            let approved = try await world.request(.post, "/v1/admin/retention/runs/\(planned.id)/approve", as: second)
            #expect(approved.status == .ok)
            #expect(try approved.decode(API.RetentionRun.self).approvedBy == second.id)

            try await Self.execute(world, planned.id)

            let gone = try await world.request(.get, "/v1/portfolios/\(portfolio)", as: world.coordinator)
            #expect(gone.status == .notFound)
            let certificate = try await world.request(
                .get,
                "/v1/admin/retention/runs/\(planned.id)/certificate",
                as: admin
            )
            .decode(API.RetentionCertificate.self)
            #expect(
                certificate.counts.purged == 1 && certificate.policyVersion == 2 && certificate.signature.count == 64
            )
            let events = try await world.request(.get, "/v1/admin/disposals?portfolio_id=\(portfolio)", as: admin)
                .decode(API.DisposalEventList.self)
            #expect(events.items.map(\.event) == [.purged])
            #expect(events.items.first?.runId == planned.id && events.items.first?.completedMonth == "2024-06")

            let before = try await world.database.digest()
            let late = try await world.request(
                .post,
                "/v1/admin/legal-holds",
                as: admin,
                body: #"{"scope":"portfolio","subject_id":"\#(portfolio)","reason":"Too late","case_reference":"L-1"}"#
            )
            #expect(late.status == .conflict)
            let problem = try Self.extensions(late)
            #expect(problem["disposed_by_run"] as? String == planned.id)
            #expect(problem["certificate"] as? String == "/v1/admin/retention/runs/\(planned.id)/certificate")
            #expect(try await world.database.digest() == before)
        }
    }

    @Test("Holds are placed, listed and released with a reason; releasing deletes nothing")
    func holds() async throws {
        try await World.test { world in
            let portfolio = try await Self.makeBramDue(world)
            let placed = try await world.request(
                .post,
                "/v1/admin/legal-holds",
                as: world.admin,
                body:
                    #"{"scope":"trainee","subject_id":"\#(world.otherTrainee.id)","reason":"Appeal","case_reference":"B-7"}"#
            )
            #expect(placed.status == .created)
            let hold = try placed.decode(API.LegalHold.self)
            let dry = try await world.request(
                .post,
                "/v1/admin/retention/runs",
                as: world.admin,
                body: #"{"mode":"dry_run"}"#
            )
            .decode(API.RetentionRun.self)
            #expect(dry.counts.held == 1 && dry.counts.purge == 0)

            let released = try await world.request(
                .post,
                "/v1/admin/legal-holds/\(hold.id)/release",
                as: world.admin,
                body: #"{"reason":"Appeal decided"}"#
            )
            #expect(released.status == .ok)
            #expect(try released.decode(API.LegalHold.self).active == false)
            let active = try await world.request(.get, "/v1/admin/legal-holds?active=true", as: world.admin)
                .decode(API.LegalHoldList.self)
            #expect(active.items.isEmpty)
            let bram = try await world.request(.get, "/v1/portfolios/\(portfolio)", as: world.coordinator)
            #expect(bram.status == .ok)
        }
    }

    @Test("Non-admins cannot see or run retention (403)")
    func onlyAdmins() async throws {
        try await World.test { world in
            let before = try await world.database.digest()
            for actor in [world.coordinator, world.trainer, world.trainee, world.reportingClient] {
                let run = try await world.request(
                    .post,
                    "/v1/admin/retention/runs",
                    as: actor,
                    body: #"{"mode":"execute"}"#
                )
                #expect(run.status == .forbidden)
                // A token without the admin scope is refused before the policy is asked.
                #expect(try run.problem()._type.hasSuffix("/insufficient-scope"))
                let holds = try await world.request(.get, "/v1/admin/legal-holds", as: actor)
                #expect(holds.status == .forbidden)
            }
            #expect(try await world.database.digest() == before)
        }
    }

    @Test("Every bad retention request is refused with a clear problem and changes nothing")
    func badInput() async throws {
        try await World.test { world in
            let portfolio = try await Self.makeBramDue(world)
            let hold = try await world.request(
                .post,
                "/v1/admin/legal-holds",
                as: world.admin,
                body: #"{"scope":"portfolio","subject_id":"\#(portfolio)","reason":"Case","case_reference":"C-1"}"#
            ).decode(API.LegalHold.self)
            let releasedHold = try await world.request(
                .post,
                "/v1/admin/legal-holds",
                as: world.admin,
                body: #"{"scope":"all","reason":"Audit","case_reference":"A-1"}"#
            ).decode(API.LegalHold.self)
            _ = try await world.request(
                .post,
                "/v1/admin/legal-holds/\(releasedHold.id)/release",
                as: world.admin,
                body: #"{"reason":"Audit closed"}"#
            )
            let dryRun = try await world.request(
                .post,
                "/v1/admin/retention/runs",
                as: world.admin,
                body: #"{"mode":"dry_run"}"#
            )
            .decode(API.RetentionRun.self)
            _ = try await world.request(
                .post,
                "/v1/admin/retention/policy/versions",
                as: world.admin,
                body:
                    #"{"keep_months":24,"download_months":6,"grace_days":14,"auto_approve_max":0,"four_eyes":false,"reason":"One admin here"}"#
            )
            let waiting = try await world.request(
                .post,
                "/v1/admin/retention/runs",
                as: world.admin,
                body: #"{"mode":"execute"}"#
            )
            .decode(API.RetentionRun.self)
            _ = try await world.request(.post, "/v1/admin/retention/runs/\(waiting.id)/approve", as: world.admin)

            let cases: [(String, String?, String?, HTTPResponse.Status, String, [String])] = [
                (
                    "/v1/admin/legal-holds",
                    #"{"scope":"portfolio","subject_id":"\#(portfolio)","reason":" ","case_reference":"C-2"}"#, nil,
                    .unprocessableContent, "validation-failed", ["/reason"]
                ),
                (
                    "/v1/admin/legal-holds",
                    #"{"scope":"all","subject_id":"\#(portfolio)","reason":"x","case_reference":"C-3"}"#,
                    nil, .unprocessableContent, "validation-failed", ["/subject_id"]
                ),
                (
                    "/v1/admin/legal-holds", #"{"scope":"everything","reason":"x","case_reference":""}"#, nil,
                    .unprocessableContent, "validation-failed", ["/scope", "/case_reference"]
                ),
                (
                    "/v1/admin/legal-holds",
                    #"{"scope":"portfolio","subject_id":"\#(portfolio)","reason":"Again","case_reference":"C-1"}"#, nil,
                    .conflict, "legal-hold-exists", ["/case_reference"]
                ),
                (
                    "/v1/admin/legal-holds",
                    #"{"scope":"portfolio","subject_id":"\#(UUID())","reason":"x","case_reference":"C"}"#,
                    nil, .notFound, "not-found", []
                ),
                (
                    "/v1/admin/legal-holds/\(releasedHold.id)/release", #"{"reason":"Twice"}"#, nil, .conflict,
                    "legal-hold-released", []
                ),
                (
                    "/v1/admin/legal-holds/\(hold.id)/release", #"{"reason":""}"#, nil, .unprocessableContent,
                    "validation-failed", ["/reason"]
                ),
                ("/v1/admin/retention/runs/\(dryRun.id)/approve", nil, nil, .conflict, "dry-run-not-approvable", []),
                (
                    "/v1/admin/retention/runs/\(waiting.id)/approve", nil, nil, .conflict, "run-not-awaiting-approval",
                    []
                ),
                (
                    "/v1/admin/retention/runs", #"{"mode":"now"}"#, nil, .unprocessableContent, "validation-failed",
                    ["/mode"]
                ),
                (
                    "/v1/admin/retention/policy/versions",
                    #"{"keep_months":6,"download_months":6,"grace_days":14,"auto_approve_max":25,"reason":"Shorter"}"#,
                    nil,
                    .unprocessableContent, "validation-failed", ["/keep_months"]
                ),
                (
                    "/v1/admin/retention/policy/versions",
                    #"{"keep_months":24,"download_months":6,"grace_days":14,"auto_approve_max":25,"reason":""}"#, nil,
                    .unprocessableContent, "validation-failed", ["/reason"]
                ),
                (
                    "/v1/admin/disposals?portfolio_id=nope", nil, "GET", .unprocessableContent, "invalid-parameter",
                    ["#/query/portfolio_id"]
                ),
            ]
            for (path, body, method, status, slug, pointers) in cases {
                let before = try await world.database.digest()

                let response = try await world.request(
                    method == "GET" ? .get : .post,
                    path,
                    as: world.admin,
                    body: body
                )

                #expect(response.status == status, "\(path) \(body ?? "")")
                let problem = try response.problem()
                #expect(problem._type == "https://dossier.example/problems/\(slug)", "\(path)")
                if !pointers.isEmpty { #expect(problem.errors?.map(\.pointer) == pointers, "\(path)") }
                #expect(try await world.database.digest() == before, "\(path) changed the database")
            }
        }
    }
}
