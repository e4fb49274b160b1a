import Crypto
import Foundation

/// One forward-only schema change: a plain SQL file `NNNN_name.sql` in the migrations folder.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String
    /// Hex SHA-256 of the file's bytes, recorded when applied; a changed file is refused.
    public let checksum: String

    public init(name: String, contents: Data) throws(MigrationError) {
        guard let version = Self.version(ofFileName: name) else { throw .badFileName(name) }
        guard let sql = String(data: contents, encoding: .utf8) else { throw .notUTF8(name) }
        self.version = version
        self.name = name
        self.sql = sql
        self.checksum = SHA256.hash(data: contents).map { String(format: "%02x", $0) }.joined()
    }

    /// `0001_create_people.sql` -> 1; nil for any name that is not four digits, `_`, a lower-case
    /// snake_case name and `.sql`.
    static func version(ofFileName name: String) -> Int? {
        let parts = name.split(separator: "_", maxSplits: 1)
        guard parts.count == 2, parts[0].count == 4, let version = Int(parts[0]), version > 0,
            parts[1].hasSuffix(".sql")
        else { return nil }
        let stem = parts[1].dropLast(4)
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789_")
        guard !stem.isEmpty, stem.allSatisfy(allowed.contains) else { return nil }
        return version
    }

    /// Every `*.sql` file of the folder, in version order. Other files are ignored, so a README may sit beside them.
    public static func load(directory: String) throws(MigrationError) -> [Migration] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".sql") }
        } catch {
            throw .unreadableDirectory(directory)
        }
        var migrations: [Migration] = []
        for name in names {
            guard let contents = FileManager.default.contents(atPath: "\(directory)/\(name)") else {
                throw .unreadableDirectory(directory)
            }
            migrations.append(try Migration(name: name, contents: contents))
        }
        migrations.sort { ($0.version, $0.name) < ($1.version, $1.name) }
        for (previous, next) in zip(migrations, migrations.dropFirst()) where previous.version == next.version {
            throw .duplicateVersion(previous.name, next.name)
        }
        return migrations
    }
}

/// A migration as recorded in `schema_migrations`.
public struct AppliedMigration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let checksum: String

    public init(version: Int, name: String, checksum: String) {
        self.version = version
        self.name = name
        self.checksum = checksum
    }
}

public enum MigrationError: Error, Equatable, CustomStringConvertible {
    case unreadableDirectory(String)
    case badFileName(String)
    case notUTF8(String)
    case duplicateVersion(String, String)
    case changedAfterApplying(String)
    case unknownToThisBuild([String])
    case addedBeforeApplied(String, newestApplied: String)
    case failed(String, reason: String)

    public var description: String {
        switch self {
        case .unreadableDirectory(let path):
            "cannot read the migrations folder \(path) (set MIGRATIONS_DIR)"
        case .badFileName(let name):
            "migration file \(name) is not named NNNN_snake_case_name.sql"
        case .notUTF8(let name):
            "migration file \(name) is not UTF-8"
        case .duplicateVersion(let first, let second):
            "migration files \(first) and \(second) share a version number"
        case .changedAfterApplying(let name):
            "migration \(name) was changed after it was applied (checksum differs); restore the file and add a new migration instead"
        case .unknownToThisBuild(let names):
            "the database has migrations this build does not know (\(names.joined(separator: ", "))): it is newer than this binary"
        case .addedBeforeApplied(let name, let newest):
            "migration \(name) sorts before the already applied \(newest); give it a higher number"
        case .failed(let name, let reason):
            "migration \(name) failed and was rolled back: \(reason)"
        }
    }
}
