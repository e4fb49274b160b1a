import DossierAPI
import DossierCore
import DossierTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Testing

@Suite("The job queue over the API")
struct JobsAPITests {
    static func insertJobs(_ world: World) async throws {
        _ = try await world.database.withOwnerClient { client in
            try await client.query(
                """
                INSERT INTO jobs (kind, queue, state, attempt, max_attempts, finalized_at, errors)
                VALUES ('retention.execute', 'retention', 'dead', 3, 3, now(),
                        '[{"at":"2026-11-23T09:00:00Z","attempt":3,"error":"portfolio locked"}]'),
                       ('job.prune', 'default', 'available', 0, 10, NULL, '[]'),
                       ('job.prune', 'default', 'succeeded', 1, 10, now(), '[]')
                """,
                logger: TestLogger.make("test.sql")
            )
        }
    }

    @Test("Admins list jobs newest first, page through them, retry a dead one and cancel a waiting one")
    func operatorsLevers() async throws {
        try await World.test { world in
            try await Self.insertJobs(world)

            let dead = try await world.request(.get, "/v1/admin/jobs?state=dead", as: world.admin).decode(
                API.JobList.self
            )
            #expect(dead.items.map(\.kind) == ["retention.execute"])
            #expect(dead.items.first?.errors.first?.error == "portfolio locked")
            let first = try await world.request(.get, "/v1/admin/jobs?limit=2", as: world.admin).decode(
                API.JobList.self
            )
            #expect(first.items.map(\.state) == [.succeeded, .available])
            let cursor = try #require(first.nextCursor)
            let second = try await world.request(.get, "/v1/admin/jobs?limit=2&cursor=\(cursor)", as: world.admin)
                .decode(API.JobList.self)
            #expect(second.items.map(\.state) == [.dead] && second.nextCursor == nil)

            let deadID = try #require(dead.items.first?.id)
            let retried = try await world.request(.post, "/v1/admin/jobs/\(deadID)/retry", as: world.admin)
            #expect(retried.status == .ok)
            let job = try retried.decode(API.Job.self)
            #expect(job.state == .available && job.attempt == 0 && job.errors.count == 1 && job.finalizedAt == nil)
            let waitingID = try #require(first.items.last?.id)
            let cancelled = try await world.request(.post, "/v1/admin/jobs/\(waitingID)/cancel", as: world.admin)
            #expect(try cancelled.decode(API.Job.self).state == .cancelled)
        }
    }

    @Test(
        "A retry of a job that is not dead, a cancel of one that finished, an unknown job and a non-admin are refused"
    )
    func refusals() async throws {
        try await World.test { world in
            try await Self.insertJobs(world)
            let all = try await world.request(.get, "/v1/admin/jobs", as: world.admin).decode(API.JobList.self)
            let succeeded = try #require(all.items.first { $0.state == .succeeded }?.id)
            let cases: [(String, HTTPResponse.Status, String, World.Actor)] = [
                ("/v1/admin/jobs/\(succeeded)/retry", .conflict, "job-not-retried", world.admin),
                ("/v1/admin/jobs/\(succeeded)/cancel", .conflict, "job-not-cancelled", world.admin),
                ("/v1/admin/jobs/999999/retry", .notFound, "not-found", world.admin),
                ("/v1/admin/jobs/\(succeeded)/retry", .forbidden, "insufficient-scope", world.coordinator),
            ]
            for (path, status, slug, actor) in cases {
                let before = try await world.database.digest()

                let response = try await world.request(.post, path, as: actor)

                #expect(response.status == status, "\(path)")
                #expect(try response.problem()._type == "https://dossier.example/problems/\(slug)", "\(path)")
                #expect(try await world.database.digest() == before, "\(path) changed the database")
            }
            let list = try await world.request(.get, "/v1/admin/jobs", as: world.trainee)
            #expect(list.status == .forbidden)
        }
    }
}
