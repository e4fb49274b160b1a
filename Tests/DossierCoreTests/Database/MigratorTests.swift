import DossierCore
import DossierTestSupport
import Foundation
import PostgresNIO
import Testing

@Suite struct MigratorTests {
    /// A migrations folder of its own, so each test can add, order and edit files freely.
    struct Folder {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID().uuidString)")

        init(_ files: [String: String]) throws {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            for (name, sql) in files { try write(name, sql) }
        }

        func write(_ name: String, _ sql: String) throws {
            try Data(sql.utf8).write(to: url.appendingPathComponent(name))
        }

        func load() throws -> [Migration] { try Migration.load(directory: url.path) }
    }

    static func migrate(_ database: TestDatabase, _ migrations: [Migration]) async throws -> [String] {
        try await database.withOwnerClient { client in
            try await Migrator(client: client, logger: TestLogger.make("test")).migrate(migrations).map(\.name)
        }
    }

    static func values(_ database: TestDatabase, _ sql: String) async throws -> [String] {
        try await database.withOwnerClient { client in
            var values: [String] = []
            for try await value in try await client.query(PostgresQuery(unsafeSQL: sql)).decode(String.self) {
                values.append(value)
            }
            return values
        }
    }

    @Test func filesAreAppliedInVersionOrderAndOnlyOnce() async throws {
        let folder = try Folder([
            "0010_third.sql": "INSERT INTO steps VALUES ('third');",
            "0002_second.sql": "INSERT INTO steps VALUES ('second'); INSERT INTO steps VALUES ('second again');",
            "0001_first.sql":
                "CREATE TABLE steps (name text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp());",
        ])
        try await TestDatabase.withEmpty { database in
            let first = try await Self.migrate(database, try folder.load())
            let second = try await Self.migrate(database, try folder.load())

            #expect(first == ["0001_first.sql", "0002_second.sql", "0010_third.sql"])
            #expect(second == [])
            #expect(
                try await Self.values(database, "SELECT name FROM steps ORDER BY at") == [
                    "second", "second again", "third",
                ]
            )
            #expect(try await Self.values(database, "SELECT name FROM schema_migrations ORDER BY version") == first)
        }
    }

    @Test func aChangedFileIsRefusedAndNothingElseIsApplied() async throws {
        let folder = try Folder(["0001_first.sql": "CREATE TABLE a (x int);"])
        try await TestDatabase.withEmpty { database in
            _ = try await Self.migrate(database, try folder.load())
            try folder.write("0001_first.sql", "CREATE TABLE a (x bigint);")
            try folder.write("0002_second.sql", "CREATE TABLE b (x int);")

            await #expect(throws: MigrationError.changedAfterApplying("0001_first.sql")) {
                try await Self.migrate(database, try folder.load())
            }
            #expect(try await Self.values(database, "SELECT name FROM schema_migrations") == ["0001_first.sql"])
            #expect(try await Self.values(database, "SELECT coalesce(to_regclass('b')::text, 'none')") == ["none"])
        }
    }

    @Test func aFailingFileIsRolledBackWholeWithTheServerMessage() async throws {
        let folder = try Folder([
            "0001_ok.sql": "CREATE TABLE a (x int);",
            "0002_broken.sql": "CREATE TABLE b (x int); INSERT INTO missing VALUES (1);",
        ])
        try await TestDatabase.withEmpty { database in
            let error = await #expect(throws: MigrationError.self) {
                try await Self.migrate(database, try folder.load())
            }

            let recorded = try await Self.values(database, "SELECT name FROM schema_migrations")
            let tableB = try await Self.values(database, "SELECT coalesce(to_regclass('b')::text, 'none')")

            let reason = "migration 0002_broken.sql failed and was rolled back: relation \"missing\" does not exist"
            #expect(error?.description.hasPrefix(reason) == true)
            #expect(recorded == ["0001_ok.sql"])
            #expect(tableB == ["none"])
        }
    }

    @Test func migratorsStartedTogetherApplyEachFileOnce() async throws {
        let folder = try Folder([
            "0001_counter.sql": "CREATE TABLE runs (n int);",
            "0002_count.sql": "INSERT INTO runs VALUES (1);",
        ])
        let migrations = try folder.load()
        try await TestDatabase.withEmpty { database in
            let applied = try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<4 { group.addTask { try await Self.migrate(database, migrations) } }
                return try await group.reduce(into: []) { $0.append(contentsOf: $1) }
            }

            #expect(applied.sorted() == ["0001_counter.sql", "0002_count.sql"])
            #expect(try await Self.values(database, "SELECT count(*)::text FROM runs") == ["1"])
        }
    }

    @Test func theApplicationRoleMayReadTheSchemaButNotChangeIt() async throws {
        try await TestDatabase.withMigrated { database in
            let plan = try await database.withAppClient { client in
                try await Migrator(client: client, logger: TestLogger.make("test")).plan(
                    for: try Migration.load(directory: PackagePaths.migrations)
                )
            }
            #expect(plan.isCurrent)

            await #expect(throws: PSQLError.self) {
                try await database.withAppClient { try await $0.query("CREATE TABLE intruder (x int)") }
            }
        }
    }
}
