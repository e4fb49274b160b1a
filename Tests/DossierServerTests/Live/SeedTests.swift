import DossierCore
import DossierTestSupport
import Foundation
import PostgresNIO
import Testing

/// `dossier seed`, as a new user runs it after `make run`.
@Suite struct SeedTests {
    @Test func theDemoWorldIsTheSameOnEverySeedUsableWithItsTokensAndNeverSeededTwice() async throws {
        let first = try await Self.seeded { database, process in
            #expect(process.standardOutput.contains("people=22\n"))
            #expect(process.standardOutput.contains("entries=96\n"))
            #expect(process.standardOutput.contains("a_trainer=trainer0001@seed.dossier.example\n"))
            let world = try await Self.world(database)

            let again = try DossierProcess(
                ["seed", "--scale", "demo"],
                environment: ["DATABASE_URL": database.appURL.text]
            )
            #expect(try await again.waitForExit() == 1)
            #expect(again.standardError.contains("seeded already"))
            #expect(try await Self.world(database) == world)
            return world
        }
        let second = try await Self.seeded { database, _ in try await Self.world(database) }

        #expect(first == second)
        #expect(first["people"]?.contains("trainee0012@seed.dossier.example|trainee|") == true)
        #expect(first["counts"] == "12 portfolios, 96 entries (72 shared), 12 supervisions, 12 assessments, 12 reviews")
    }

    /// Seeds an empty database and checks that the tokens it wrote open the API as their people.
    private static func seeded<Result: Sendable>(
        _ body: @Sendable (TestDatabase, DossierProcess) async throws -> Result
    ) async throws -> Result {
        try await TestDatabase.withMigrated { database in
            let tokens = FileManager.default.temporaryDirectory.appendingPathComponent("seed-\(UUID().uuidString).tsv")
            let process = try DossierProcess(
                ["seed", "--scale", "demo", "--tokens", tokens.path],
                environment: ["DATABASE_URL": database.appURL.text]
            )
            #expect(try await process.waitForExit() == 0)
            let lines = try String(contentsOf: tokens, encoding: .utf8).split(separator: "\n")
            let mode = try FileManager.default.attributesOfItem(atPath: tokens.path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            #expect(lines.count == 20)
            let trainee = try #require(lines.first { $0.hasPrefix("trainee0001@") }?.split(separator: "\t").last)
            let owner = try await database.withOwnerClient { client in
                try await client.query(
                    """
                    SELECT p.email FROM api_tokens t JOIN people p ON p.id = t.person_id
                    WHERE t.token_hash = sha256(convert_to(\(String(trainee)), 'UTF8'))
                    """
                ).collect().first?.decode(String.self)
            }
            #expect(owner == "trainee0001@seed.dossier.example")
            try? FileManager.default.removeItem(at: tokens)
            return try await body(database, process)
        }
    }

    /// What a seed decides (ids and times differ between runs; these must not).
    private static func world(_ database: TestDatabase) async throws -> [String: String] {
        try await database.withOwnerClient { client in
            var people: [String] = []
            for try await (email, roles, name) in try await client.query(
                "SELECT email, array_to_string(roles, ','), name FROM people ORDER BY email"
            ).decode((String, String, String).self) {
                people.append("\(email)|\(roles)|\(name)")
            }
            let counts = try await client.query(
                """
                SELECT format('%s portfolios, %s entries (%s shared), %s supervisions, %s assessments, %s reviews',
                    (SELECT count(*) FROM portfolios), (SELECT count(*) FROM entries),
                    (SELECT count(*) FROM entries WHERE shared), (SELECT count(*) FROM supervisions),
                    (SELECT count(*) FROM assessments), (SELECT count(*) FROM progress_records))
                """
            ).collect().first?.decode(String.self)
            return ["people": people.joined(separator: "\n"), "counts": counts ?? ""]
        }
    }
}
