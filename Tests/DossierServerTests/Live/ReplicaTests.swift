import DossierCore
import DossierTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Two `dossier serve` processes on one database, as two replicas behind a load balancer.
@Suite struct ReplicaTests {
    @Test func aTokenRevokedOnOneReplicaIsRefusedByTheOtherOnItsNextRequest() async throws {
        try await TestDatabase.withMigrated { database in
            let issue = try DossierProcess(
                ["token", "create", "--email", "ops@dossier.test", "--role", "admin"],
                environment: ["DATABASE_URL": database.appURL.text]
            )
            #expect(try await issue.waitForExit() == 0)
            let token = issue.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            let first = try await Replica(database)
            let second = try await Replica(database)
            defer {
                first.process.send(SIGTERM)
                second.process.send(SIGTERM)
            }
            // Both have served the token, so a cache of it, if there were one, would be warm.
            #expect(try await first.status(.get, "/v1/me", token: token) == 200)
            #expect(try await second.status(.get, "/v1/me", token: token) == 200)
            let id = try await database.withOwnerClient { client in
                try await client.query("SELECT id FROM api_tokens").collect().first?.decode(UUID.self)
            }

            #expect(
                try await first.status(.delete, "/v1/tokens/\(try #require(id).uuidString.lowercased())", token: token)
                    == 204
            )

            #expect(try await second.status(.get, "/v1/me", token: token) == 401)
            #expect(try await first.status(.get, "/v1/me", token: token) == 401)
        }
    }

    private struct Replica {
        let process: DossierProcess
        let port: Substring

        init(_ database: TestDatabase) async throws {
            process = try DossierProcess(
                ["serve"],
                environment: [
                    "DATABASE_URL": database.appURL.text, "DOSSIER_SECRET_KEY": Fixture.secretKey, "HTTP_PORT": "0",
                    "LOG_FORMAT": "text", "LOG_LEVEL": "info", "MIGRATIONS_DIR": PackagePaths.migrations,
                ]
            )
            let output = try await process.waitForOutput(containing: "listening on 127.0.0.1:")
            port = try #require(output.firstMatch(of: /listening on 127\.0\.0\.1:(\d+)/)?.output.1)
        }

        enum Method: String {
            case get = "GET"
            case delete = "DELETE"
        }

        func status(_ method: Method, _ path: String, token: String) async throws -> Int? {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
            request.httpMethod = method.rawValue
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            let (_, response) = try await URLSession.shared.data(for: request)
            return (response as? HTTPURLResponse)?.statusCode
        }
    }
}
