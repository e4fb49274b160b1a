import DossierCore
import DossierTestSupport
import Foundation
import PostgresNIO
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The binary as an operator runs it: start-up refusals, signals, and a crash at a failpoint.
@Suite struct ProcessTests {
    @Test func aMissingVariableStopsStartUpWithOneLineNamingIt() async throws {
        let process = try DossierProcess(["serve"], environment: ["DOSSIER_SECRET_KEY": Fixture.secretKey])

        let status = try await process.waitForExit()

        #expect(status == 78)
        #expect(process.standardError == "configuration error: DATABASE_URL: is required but not set\n")
    }

    @Test func serveRefusesAStaleSchema() async throws {
        try await TestDatabase.withEmpty { database in
            let process = try DossierProcess(
                ["serve"],
                environment: [
                    "DATABASE_URL": database.appURL.text, "DOSSIER_SECRET_KEY": Fixture.secretKey, "HTTP_PORT": "0",
                    "MIGRATIONS_DIR": PackagePaths.migrations,
                ]
            )

            let status = try await process.waitForExit()

            #expect(status == 1)
            #expect(process.standardError.contains("error: the database schema is behind: "))
            #expect(process.standardError.contains("run `dossier migrate` or start with `dossier serve --migrate`"))
            #expect(!process.standardOutput.contains("listening"))
        }
    }

    @Test func serveMigratesWhenToldServesAndExitsZeroOnSIGTERM() async throws {
        try await TestDatabase.withEmpty { database in
            let process = try DossierProcess(
                ["serve", "--migrate"],
                environment: [
                    "DATABASE_URL": database.appURL.text, "MIGRATE_DATABASE_URL": database.ownerURL.text,
                    "DOSSIER_SECRET_KEY": Fixture.secretKey, "HTTP_PORT": "0", "LOG_FORMAT": "text",
                    "MIGRATIONS_DIR": PackagePaths.migrations,
                ]
            )
            let output = try await process.waitForOutput(containing: "listening on 127.0.0.1:")
            let port = try #require(output.firstMatch(of: /listening on 127\.0\.0\.1:(\d+)/)?.output.1)

            let (body, response) = try await URLSession.shared.data(
                from: URL(string: "http://127.0.0.1:\(port)/v1/ready")!
            )
            process.send(SIGTERM)
            let status = try await process.waitForExit()

            #expect((response as? HTTPURLResponse)?.statusCode == 200)
            #expect(String(decoding: body, as: UTF8.self).contains(#""status":"ready""#))
            #expect(status == 0)
            #expect(!process.endedBySignal)
        }
    }

    @Test func aMigrationKilledBeforeCommitLeavesNothingAndTheRerunAppliesAll() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("CREATE TABLE first (x int); INSERT INTO first VALUES (1);".utf8).write(
            to: folder.appendingPathComponent("0001_first.sql")
        )
        try Data("CREATE TABLE second (x int);".utf8).write(to: folder.appendingPathComponent("0002_second.sql"))

        try await TestDatabase.withEmpty { database in
            let environment = [
                "DATABASE_URL": database.ownerURL.text, "MIGRATIONS_DIR": folder.path, "LOG_FORMAT": "text",
            ]
            let crashing = try DossierProcess(
                ["migrate"],
                environment: environment.merging(["DOSSIER_ENV": "test", "DOSSIER_FAILPOINTS": "migrate.before-commit"])
                { $1 }
            )
            try await crashing.waitForOutput(containing: "failpoint reached: migrate.before-commit")
            crashing.send(SIGKILL)
            _ = try await crashing.waitForExit()
            #expect(crashing.endedBySignal)

            let rerun = try DossierProcess(["migrate"], environment: environment)
            let status = try await rerun.waitForExit()

            #expect(status == 0)
            let tables = try await database.withOwnerClient { client in
                try await client.query("SELECT count(*)::int FROM first").collect().first?.decode(Int.self)
            }
            #expect(tables == 1)
            let applied = try await database.withOwnerClient { client in
                try await client.query("SELECT count(*)::int FROM schema_migrations").collect().first?.decode(Int.self)
            }
            #expect(applied == 2)
        }
    }

    @Test func theOperatorBootstrapsATokenAndImportsPeopleFromTheShell() async throws {
        try await TestDatabase.withMigrated { database in
            let environment = ["DATABASE_URL": database.appURL.text]
            let token = try DossierProcess(
                ["token", "create", "--email", "ops@dossier.test", "--role", "admin"],
                environment: environment
            )
            #expect(try await token.waitForExit() == 0)
            let secret = token.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(secret.hasPrefix("dos_") && !secret.contains("\n"))
            let issuedBy = try await database.withOwnerClient { client in
                try await client.query("SELECT issued_by FROM api_tokens").collect().first?.decode(String.self)
            }
            #expect(issuedBy == "cli")

            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("import-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let good = folder.appendingPathComponent("good.csv")
            let bad = folder.appendingPathComponent("bad.csv")
            let header = "name,email,roles,start_date,expected_end_date,training_year,site,group_id\n"
            try Data((header + "Bea,bea@dossier.test,teacher,,,,,\n").utf8).write(to: good)
            try Data(
                (header
                    + "Bea,bea@dossier.test,teacher,,,,,\nCas,cas@dossier.test,trainee,2025-13-01,2028-01-01,1,leiden,\n")
                    .utf8
            )
            .write(to: bad)

            let refused = try DossierProcess(["import", "people", bad.path], environment: environment)
            #expect(try await refused.waitForExit() == 1)
            #expect(refused.standardError.contains("line 3/start_date: must be a date YYYY-MM-DD"))
            #expect(refused.standardError.contains("nothing was imported"))

            let dryRun = try DossierProcess(["import", "people", good.path, "--dry-run"], environment: environment)
            #expect(try await dryRun.waitForExit() == 0)
            #expect(dryRun.standardOutput.hasSuffix("dry run: would create 1, would update 0, unchanged 0\n"))
            let imported = try DossierProcess(["import", "people", good.path], environment: environment)
            #expect(try await imported.waitForExit() == 0)
            #expect(imported.standardOutput.hasSuffix("created 1, updated 0, unchanged 0\n"))

            let people = try await database.withOwnerClient { client in
                try await client.query("SELECT count(*)::int FROM people").collect().first?.decode(Int.self)
            }
            #expect(people == 2)
        }
    }
}
