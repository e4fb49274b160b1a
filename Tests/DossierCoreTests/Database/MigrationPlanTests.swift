import DossierCore
import Foundation
import Testing

@Suite struct MigrationPlanTests {
    static func migration(_ name: String, _ sql: String = "SELECT 1;") throws -> Migration {
        try Migration(name: name, contents: Data(sql.utf8))
    }

    static func applied(_ migration: Migration) -> AppliedMigration {
        AppliedMigration(version: migration.version, name: migration.name, checksum: migration.checksum)
    }

    @Test func whatIsNotAppliedIsPendingInVersionOrder() throws {
        let first = try Self.migration("0001_first.sql")
        let second = try Self.migration("0002_second.sql")
        let third = try Self.migration("0010_third.sql")

        let plan = try MigrationPlan(known: [first, second, third], applied: [Self.applied(first)])

        #expect(plan.pending.map(\.name) == ["0002_second.sql", "0010_third.sql"])
        #expect(plan.latestApplied == "0001_first.sql")
        #expect(!plan.isCurrent)
    }

    @Test func aFileChangedAfterApplyingIsRefused() throws {
        let original = try Self.migration("0001_first.sql", "CREATE TABLE a (x int);")
        let edited = try Self.migration("0001_first.sql", "CREATE TABLE a (x bigint);")

        #expect(throws: MigrationError.changedAfterApplying("0001_first.sql")) {
            try MigrationPlan(known: [edited], applied: [Self.applied(original)])
        }
    }

    @Test func aDatabaseNewerThanTheBuildIsRefused() throws {
        let first = try Self.migration("0001_first.sql")
        let future = try Self.migration("0002_future.sql")

        #expect(throws: MigrationError.unknownToThisBuild(["0002_future.sql"])) {
            try MigrationPlan(known: [first], applied: [Self.applied(first), Self.applied(future)])
        }
    }

    @Test func aFileNumberedBelowTheNewestAppliedIsRefused() throws {
        let first = try Self.migration("0001_first.sql")
        let late = try Self.migration("0002_late.sql")
        let third = try Self.migration("0003_third.sql")

        #expect(throws: MigrationError.addedBeforeApplied("0002_late.sql", newestApplied: "0003_third.sql")) {
            try MigrationPlan(known: [first, late, third], applied: [Self.applied(first), Self.applied(third)])
        }
    }

    @Test(arguments: ["1_short.sql", "0001-dash.sql", "0001_Upper.sql", "0000_zero.sql", "0001_.sql", "abcd_x.sql"])
    func badFileNamesAreRefused(name: String) {
        #expect(throws: MigrationError.badFileName(name)) { try Self.migration(name) }
    }

    @Test func loadingAFolderSortsByVersionAndRefusesDuplicates() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["0010_c.sql", "0002_b.sql", "0001_a.sql", "README.md"] {
            try Data("SELECT 1;".utf8).write(to: folder.appendingPathComponent(name))
        }

        #expect(try Migration.load(directory: folder.path).map(\.name) == ["0001_a.sql", "0002_b.sql", "0010_c.sql"])

        try Data("SELECT 2;".utf8).write(to: folder.appendingPathComponent("0002_again.sql"))
        #expect(throws: MigrationError.duplicateVersion("0002_again.sql", "0002_b.sql")) {
            try Migration.load(directory: folder.path)
        }
    }

    @Test func aMissingFolderNamesTheVariable() {
        let error = #expect(throws: MigrationError.self) { try Migration.load(directory: "/nonexistent/migrations") }

        #expect(error?.description == "cannot read the migrations folder /nonexistent/migrations (set MIGRATIONS_DIR)")
    }
}
