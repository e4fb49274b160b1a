import DossierAPI
import DossierCore
import DossierTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PostgresNIO

@testable import DossierServer

/// A small institute for access tests: one of each role, a current and an ended supervision,
/// each person with a token. Fixed ids would collide across parallel tests, so ids come from the
/// server; names and e-mail addresses are fixed.
struct World: Sendable {
    struct Actor: Sendable {
        let id: String
        let token: String
        var auth: HTTPFields { [.authorization: "Bearer \(token)"] }
    }

    let client: any TestClientProtocol
    let database: TestDatabase
    let admin: Actor
    let coordinator: Actor
    let trainer: Actor
    let formerTrainer: Actor
    let teacher: Actor
    let trainee: Actor
    let otherTrainee: Actor
    let reportingClient: Actor
    let narrowClient: Actor

    /// Each world has its own clock, so a test that moves time does not move it for others.
    let clock: FixedWallClock
    let tokens: TokenService
    static let start = ISO8601DateFormatter().date(from: "2026-11-23T10:00:00Z")!

    /// Runs `body` against the real router on a fresh database with the world in it; `.live`
    /// serves it on a real socket (`client.port`) for tests that need parallel connections.
    static func test(
        _ setup: TestingSetup = .router,
        attachmentLimits: AttachmentLimits = AttachmentLimits(),
        _ body: @escaping @Sendable (World) async throws -> Void
    ) async throws {
        try await TestDatabase.withMigrated { database in
            try await database.withAppClient { postgres in
                let clock = FixedWallClock(start)
                var dependencies = TestApp.dependencies(postgres)
                dependencies.clock = clock
                dependencies.attachmentLimits = attachmentLimits
                let app = Application(router: try buildRouter(dependencies), logger: TestLogger.make("test.api"))
                try await app.test(setup) { client in
                    let world = try await build(client: client, database: database, postgres: postgres, clock: clock)
                    try await body(world)
                }
            }
        }
    }

    private static func build(
        client: any TestClientProtocol,
        database: TestDatabase,
        postgres: PostgresClient,
        clock: FixedWallClock
    ) async throws -> World {
        let tokens = TokenService(
            database: Database(client: postgres, logger: TestLogger.make("test")),
            clock: clock,
            logger: TestLogger.make("test")
        )
        func bootstrap(_ email: String, _ role: Role) async throws -> Actor {
            try await issue(tokens, email: email, role: role)
        }
        let admin = try await bootstrap("admin@dossier.test", .admin)
        func person(_ name: String, _ email: String, _ roles: [String], trainee: Bool = false) async throws -> Actor {
            let profile =
                trainee
                ? #","trainee":{"start_date":"2025-03-01","expected_end_date":"2028-03-01","training_year":2,"site":"leiden"}"#
                : ""
            let body = #"{"name":"\#(name)","email":"\#(email)","roles":\#(roles)\#(profile)}"#
            let response = try await client.execute(
                uri: "/v1/people",
                method: .post,
                headers: admin.auth.json,
                body: ByteBuffer(string: body)
            )
            precondition(response.status == .created, "fixture person: \(String(buffer: response.body))")
            return try await bootstrap(email, Role(rawValue: roles.first ?? "") ?? .trainee)
        }
        let coordinator = try await person("Cora Coördinator", "cora@dossier.test", ["coordinator"])
        let trainer = try await person("Tom Trainer", "tom@dossier.test", ["trainer"])
        let formerTrainer = try await person("Fenna Former", "fenna@dossier.test", ["trainer"])
        let teacher = try await person("Dirk Docent", "dirk@dossier.test", ["teacher"])
        let trainee = try await person("Anna Aios", "anna@dossier.test", ["trainee"], trainee: true)
        let otherTrainee = try await person("Bram Aios", "bram@dossier.test", ["trainee"], trainee: true)
        for (supervisor, from, until) in [(trainer, "2025-03-01", nil), (formerTrainer, "2025-03-01", "2026-03-01")] {
            let untilJSON = until.map { #","valid_until":"\#($0)""# } ?? ""
            let body =
                #"{"kind":"trainer","supervisor_id":"\#(supervisor.id)","trainee_id":"\#(trainee.id)","valid_from":"\#(from)"\#(untilJSON)}"#
            let response = try await client.execute(
                uri: "/v1/supervisions",
                method: .post,
                headers: coordinator.auth.json,
                body: ByteBuffer(string: body)
            )
            precondition(response.status == .created, "fixture supervision: \(String(buffer: response.body))")
        }
        func serviceClient(_ name: String, _ scopes: [String]) async throws -> Actor {
            let created = try await client.execute(
                uri: "/v1/service-clients",
                method: .post,
                headers: admin.auth.json,
                body: ByteBuffer(string: #"{"name":"\#(name)","scopes":\#(scopes)}"#)
            )
            let id = try created.decode(API.ServiceClient.self).id
            let token = try await client.execute(
                uri: "/v1/service-clients/\(id)/tokens",
                method: .post,
                headers: admin.auth.json,
                body: ByteBuffer(string: #"{"name":"ci"}"#)
            )
            return Actor(id: id, token: try token.decode(API.IssuedToken.self).secret)
        }
        let reportingClient = try await serviceClient("reporting", ["people:read"])
        let narrowClient = try await serviceClient("ipo-planner", ["ipo:read"])
        // One use of every token records its last use now; the fixed clock keeps it from changing
        // again, so a table digest taken after this sees only what a request changed.
        for actor in [
            admin, coordinator, trainer, formerTrainer, teacher, trainee, otherTrainee, reportingClient, narrowClient,
        ] {
            _ = try await client.execute(uri: "/v1/me", method: .get, headers: actor.auth)
        }
        return World(
            client: client,
            database: database,
            admin: admin,
            coordinator: coordinator,
            trainer: trainer,
            formerTrainer: formerTrainer,
            teacher: teacher,
            trainee: trainee,
            otherTrainee: otherTrainee,
            reportingClient: reportingClient,
            narrowClient: narrowClient,
            clock: clock,
            tokens: tokens
        )
    }

    /// A new token for an existing person, valid from the world's clock as it stands now (tests
    /// that move time years ahead outlive the fixture's tokens).
    func freshToken(email: String, role: Role) async throws -> Actor {
        try await Self.issue(tokens, email: email, role: role)
    }

    private static func issue(_ tokens: TokenService, email: String, role: Role) async throws -> Actor {
        let issued = try await tokens.bootstrap(email: email, name: nil, role: role, lifetimeDays: 30)
        guard case .person(let id) = issued.token.owner else { fatalError("a person token") }
        return Actor(id: id.description, token: issued.secret)
    }

    func request(
        _ method: HTTPRequest.Method,
        _ uri: String,
        as actor: Actor?,
        body: String? = nil,
        headers: HTTPFields = [:]
    ) async throws -> TestResponse {
        var fields = actor?.auth ?? [:]
        if body != nil && headers[.contentType] == nil { fields[.contentType] = "application/json" }
        for field in headers { fields[field.name] = field.value }
        return try await client.execute(
            uri: uri,
            method: method,
            headers: fields,
            body: body.map { ByteBuffer(string: $0) }
        )
    }

    /// Access-log rows about `subject`, read as the owner role (not through the API, which logs too).
    func accessLogRows(
        about subject: String
    ) async throws -> [(actor: String?, rule: String, action: String, resource: String)] {
        try await database.withOwnerClient { client in
            var rows: [(String?, String, String, String)] = []
            let query: PostgresQuery = """
                SELECT actor_person_id::text, rule, action::text, resource_type FROM access_log
                WHERE subject_id = \(UUID(uuidString: subject)!) ORDER BY id
                """
            for try await row in try await client.query(query).decode((String?, String, String, String).self) {
                rows.append(row)
            }
            return rows.map { (actor: $0.0, rule: $0.1, action: $0.2, resource: $0.3) }
        }
    }
}

extension HTTPFields {
    var json: HTTPFields {
        var fields = self
        fields[.contentType] = "application/json"
        return fields
    }
}
