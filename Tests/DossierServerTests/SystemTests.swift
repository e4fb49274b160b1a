import DossierAPI
import DossierCore
import DossierTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing

@testable import DossierServer

@Suite struct SystemTests {
    @Test func healthAnswers200WithARequestID() async throws {
        try await TestApp.test { client in
            let response = try await client.execute(uri: "/v1/health", method: .get)

            #expect(response.status == .ok)
            #expect(try response.decode(DossierAPI.Components.Schemas.Health.self).status == .ok)
            #expect(response.headers[.requestID]?.count == 36)
        }
    }

    @Test func readyReportsTheAppliedMigrationsOfACurrentSchema() async throws {
        try await TestApp.test { client in
            let response = try await client.execute(uri: "/v1/ready", method: .get)

            #expect(response.status == .ok)
            let readiness = try response.decode(DossierAPI.Components.Schemas.Readiness.self)
            #expect(readiness.migrations.applied == TestApp.migrations.count)
            #expect(readiness.migrations.known == TestApp.migrations.count)
            #expect(readiness.migrations.latest == TestApp.migrations.last?.name)
        }
    }

    @Test func readyIs503WithAProblemWhileAMigrationIsPending() async throws {
        let pending = try Migration(name: "9999_not_yet_applied.sql", contents: Data("SELECT 1;".utf8))

        try await TestApp.test(migrations: TestApp.migrations + [pending]) { client in
            let response = try await client.execute(uri: "/v1/ready", method: .get, headers: [.requestID: "probe-1"])

            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.contentType] == "application/problem+json; charset=utf-8")
            let problem = try response.problem()
            #expect(problem._type == "https://dossier.example/problems/service-unavailable")
            #expect(problem.status == 503)
            #expect(problem.instance == "probe-1")
            #expect(
                problem.detail == "The database schema is behind: 1 pending migration(s) (9999_not_yet_applied.sql)."
            )
        }
    }

    @Test func readyIs503WhenTheDatabaseIsUnreachable() async throws {
        let nowhere = DatabaseURL(
            endpoint: .unixSocket(path: "/nonexistent/.s.PGSQL.1"),
            username: "dossier_app",
            password: nil,
            database: "dossier",
            tlsMode: .disable
        )
        try await PostgresClient.withClient(url: nowhere, logger: TestLogger.make("test.nowhere")) { database in
            let router = try buildRouter(TestApp.dependencies(database, readinessTimeout: .milliseconds(500)))
            try await Application(router: router, logger: TestLogger.make("test.api")).test(.router) { client in
                let response = try await client.execute(uri: "/v1/ready", method: .get)

                #expect(response.status == .serviceUnavailable)
                let problem = try response.problem()
                #expect(problem._type == "https://dossier.example/problems/service-unavailable")
                #expect(problem.instance == response.headers[.requestID])
                #expect(
                    ["The database is unreachable.", "The database did not answer within 0.5 seconds."].contains(
                        problem.detail
                    )
                )
            }
        }
    }
}
