import DossierCore
import Foundation
import Testing

@Suite struct ConfigTests {
    static let key = Data(repeating: 7, count: 32).base64EncodedString()
    static let valid: [String: String] = [
        "DATABASE_URL": "postgres://dossier_app@localhost:5432/dossier",
        "DOSSIER_SECRET_KEY": key,
    ]

    @Test func defaultsApplyWhenOnlyRequiredVariablesAreSet() throws {
        let config = try Config.load(ServeConfig.self, from: Self.valid)

        #expect(config.httpHost == "127.0.0.1")
        #expect(config.httpPort == 8080)
        #expect(config.publicBaseURL == "http://127.0.0.1:8080")
        #expect(config.database.migrationsDirectory == "Migrations")
        #expect(config.database.migrateURL == config.database.url)
    }

    @Test func aMissingDatabaseURLIsNamed() {
        var environment = Self.valid
        environment["DATABASE_URL"] = nil

        let error = #expect(throws: ConfigErrors.self) { try Config.load(ServeConfig.self, from: environment) }

        #expect(error?.errors == [ConfigError(variable: "DATABASE_URL", problem: "is required but not set")])
        #expect(error?.description == "configuration error: DATABASE_URL: is required but not set")
    }

    @Test func aBlankValueCountsAsMissing() {
        var environment = Self.valid
        environment["DOSSIER_SECRET_KEY"] = "  "

        let error = #expect(throws: ConfigErrors.self) { try Config.load(ServeConfig.self, from: environment) }

        #expect(error?.errors.map(\.variable) == ["DOSSIER_SECRET_KEY"])
    }

    @Test func everyBadVariableIsReportedAtOnceAndNoSecretIsEchoed() {
        let environment = [
            "DATABASE_URL": "mysql://root:hunter2@db/dossier",
            "HTTP_PORT": "eighty",
            "DOSSIER_SECRET_KEY": "c2hvcnQ=",
            "PUBLIC_BASE_URL": "ftp://example.org/",
        ]

        let error = #expect(throws: ConfigErrors.self) { try Config.load(ServeConfig.self, from: environment) }

        #expect(
            error?.errors.map(\.variable) == ["DATABASE_URL", "HTTP_PORT", "PUBLIC_BASE_URL", "DOSSIER_SECRET_KEY"]
        )
        let text = error?.description ?? ""
        #expect(text.split(separator: "\n").count == 4)
        #expect(!text.contains("hunter2"))
        #expect(!text.contains("c2hvcnQ="))
    }

    @Test(arguments: ["65536", "-1", "80a"])
    func aPortOutsideTheRangeIsRejected(port: String) {
        var environment = Self.valid
        environment["HTTP_PORT"] = port

        let error = #expect(throws: ConfigErrors.self) { try Config.load(ServeConfig.self, from: environment) }

        #expect(error?.errors == [ConfigError(variable: "HTTP_PORT", problem: "must be a port number 0-65535")])
    }

    @Test func loggingRejectsAnUnknownFormatAndLevel() {
        let error = #expect(throws: ConfigErrors.self) {
            try Config.load(LoggingConfig.self, from: ["LOG_FORMAT": "xml", "LOG_LEVEL": "loud"])
        }

        #expect(error?.errors.map(\.variable) == ["LOG_LEVEL", "LOG_FORMAT"])
    }

    @Test func loggingAcceptsTextAndDebug() throws {
        let config = try Config.load(LoggingConfig.self, from: ["LOG_FORMAT": "text", "LOG_LEVEL": "DEBUG"])

        #expect(config.format == .text)
        #expect(config.level == .debug)
    }

    @Test func theMigrateURLOverridesTheApplicationURLForMigrations() throws {
        var environment = Self.valid
        environment["MIGRATE_DATABASE_URL"] = "postgres://dossier@localhost/dossier"

        let config = try Config.load(DatabaseConfig.self, from: environment)

        #expect(config.migrateURL.username == "dossier")
        #expect(config.url.username == "dossier_app")
    }

    @Test func subkeysDifferPerPurposeAndAreStable() throws {
        let key = try #require(SecretKey(base64: Self.key))
        let again = try #require(SecretKey(base64: Self.key))

        #expect(key.subkey(for: "cursor") != key.subkey(for: "access-log-pepper"))
        #expect(key.subkey(for: "cursor") == again.subkey(for: "cursor"))
        #expect("\(key)" == "SecretKey(redacted)")
    }
}
