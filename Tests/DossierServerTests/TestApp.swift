import DossierAPI
import DossierCore
import DossierTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import OpenAPIRuntime
import PostgresNIO

@testable import DossierServer

/// Builds the real router around a test database and drives it in-process.
enum TestApp {
    static let secretKey = SecretKey(base64: Data(repeating: 42, count: 32).base64EncodedString())!
    static let migrations: [Migration] = (try? Migration.load(directory: PackagePaths.migrations)) ?? []

    static func dependencies(
        _ client: PostgresClient,
        migrations: [Migration] = TestApp.migrations,
        maximumBodyBytes: Int = 1 << 20,
        readinessTimeout: Duration = .seconds(2)
    ) -> ServerDependencies {
        ServerDependencies(
            database: client,
            migrations: migrations,
            secretKey: TestApp.secretKey,
            publicBaseURL: "http://dossier.test",
            clock: FixedWallClock(Date(timeIntervalSince1970: 1_795_420_800)),
            logger: TestLogger.make("test.api"),
            readinessTimeout: readinessTimeout,
            maximumBodyBytes: maximumBodyBytes
        )
    }

    /// The production router on a freshly migrated database.
    static func test(
        migrations: [Migration] = TestApp.migrations,
        _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        try await TestDatabase.withMigrated { database in
            try await database.withAppClient { client in
                // A database that is there may still be slow to answer while the whole suite
                // runs on two cores; the readiness timeout is not what these tests are about.
                let app = Application(
                    router: try buildRouter(
                        dependencies(client, migrations: migrations, readinessTimeout: .seconds(30))
                    ),
                    logger: TestLogger.make("test.api")
                )
                try await app.test(.router, body)
            }
        }
    }

    /// The same middleware around the conventions fixture contract; needs no database.
    static func testConventions(
        maximumBodyBytes: Int = 1 << 20,
        logger: Logger = TestLogger.make("test.api"),
        _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let unused = PostgresClient(
            url: DatabaseURL(
                endpoint: .unixSocket(path: "/nonexistent/.s.PGSQL.1"),
                username: "none",
                password: nil,
                database: "none",
                tlsMode: .disable
            ),
            logger: TestLogger.make("test.unused")
        )
        let router = try buildRouter(dependencies(unused, maximumBodyBytes: maximumBodyBytes)) { transport in
            try EchoHandler().registerHandlers(on: transport)
        }
        try await Application(router: router, logger: logger).test(.router, body)
    }
}

/// The fixture's one operation: echoes the decoded body, proving that valid input gets through.
struct EchoHandler: APIProtocol {
    func createEcho(_ input: Operations.CreateEcho.Input) async throws -> Operations.CreateEcho.Output {
        switch input.body {
        case .json(let echo): .created(.init(body: .json(echo)))
        }
    }
}

/// A problem as a client decodes it, through the generated type of the real contract.
typealias APIProblem = DossierAPI.Components.Schemas.Problem

/// The real contract's schemas; the conventions fixture has a `Components` of its own.
typealias API = DossierAPI.Components.Schemas

extension TestResponse {
    func problem() throws -> APIProblem {
        try JSONDecoder().decode(APIProblem.self, from: Data(buffer: body))
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(buffer: body))
    }
}
