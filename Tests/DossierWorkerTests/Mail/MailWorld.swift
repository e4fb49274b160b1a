import DossierCore
import DossierMail
import DossierMailRendering
import DossierTestSupport
import DossierWorker
import Foundation
import Logging
import PostgresNIO

/// A migrated database, a pinned clock (Monday 2026-11-30 08:00 in Amsterdam, when the weekly
/// default digest is due) and a real SMTP server on loopback that the worker sends to.
struct MailWorld: Sendable {
    static let secretKey = SecretKey(base64: Data(repeating: 42, count: 32).base64EncodedString())!
    static let monday = ISO8601DateFormatter().date(from: "2026-11-30T07:00:00Z")!
    static let baseURL = "https://dossier.test"

    let testDatabase: TestDatabase
    let client: PostgresClient
    let database: Database
    let clock: FixedWallClock
    let sink: SMTPSink
    let logger = TestLogger.make("test.mail")

    static func test(
        sink arguments: [String] = [],
        at start: Date = monday,
        _ body: @Sendable (MailWorld) async throws -> Void
    ) async throws {
        let sink = try await SMTPSink.start(arguments)
        defer { sink.stop() }
        try await TestDatabase.withMigrated { testDatabase in
            try await testDatabase.withAppClient { client in
                try await body(
                    MailWorld(
                        testDatabase: testDatabase,
                        client: client,
                        database: Database(client: client, logger: TestLogger.make("test.mail")),
                        clock: FixedWallClock(start),
                        sink: sink
                    )
                )
            }
        }
    }

    func dependencies(timeout: Int64 = 30, retryBase: Double = 0) throws -> WorkerDependencies {
        var timeouts = SMTPConfiguration.Timeouts()
        timeouts.connect = timeout
        timeouts.greeting = timeout
        timeouts.command = timeout
        timeouts.dataInitiation = timeout
        timeouts.finalDot = timeout
        var settings = MailSettings(
            smtp: SMTPConfiguration(
                host: "127.0.0.1",
                port: sink.port,
                security: .none,
                heloName: "worker.dossier.test",
                timeouts: timeouts
            ),
            envelopeFrom: MailAddress("bounces@dossier.test")!
        )
        settings.retryBase = retryBase
        settings.lease = .seconds(2)
        let renderer = try MailRenderer(from: MailAddress("digest@dossier.test", displayName: "Dossier")!)
        return WorkerDependencies(
            database: database,
            clock: clock,
            secretKey: Self.secretKey,
            logger: logger,
            mail: WorkerMail(
                settings: settings,
                renderer: renderer,
                baseURL: Self.baseURL,
                messageDomain: "dossier.test"
            )
        )
    }

    func worker(timeout: Int64 = 30, retryBase: Double = 0) throws -> Worker {
        try buildWorker(dependencies(timeout: timeout, retryBase: retryBase))
    }

    func planner() throws -> DigestPlanner {
        try dependencies().digestPlanner!
    }

    /// A trainee in training since 2025-06-01: their overdue progress reviews give the digest
    /// something to say.
    @discardableResult
    func trainee(_ name: String, email: String? = nil) async throws -> PersonID {
        let id = UUID()
        let email = email ?? "\(id.uuidString.lowercased().prefix(8))@dossier.test"
        try await client.query(
            "INSERT INTO people (id, name, email, roles) VALUES (\(id), \(name), \(email), ARRAY['trainee'])"
        )
        try await client.query(
            """
            INSERT INTO trainee_profiles (person_id, start_date, expected_end_date, training_year, site)
            VALUES (\(id), '2025-06-01', '2028-06-01', 2, 'leiden')
            """
        )
        return PersonID(id)
    }

    /// `count` trainees in one statement, for the volume tests.
    func trainees(_ count: Int) async throws {
        try await client.query(
            """
            WITH made AS (
                INSERT INTO people (id, name, email, roles)
                SELECT gen_random_uuid(), 'Trainee ' || n, 'trainee' || n || '@dossier.test', ARRAY['trainee']
                FROM generate_series(1, \(count)) AS n
                RETURNING id
            )
            INSERT INTO trainee_profiles (person_id, start_date, expected_end_date, training_year, site)
            SELECT id, '2025-06-01', '2028-06-01', 2, 'leiden' FROM made
            """
        )
    }

    struct Row: Sendable, Equatable {
        let key: String
        let status: String
        let attempts: Int
        let lastError: String?
        let messageID: String
    }

    func outbox() async throws -> [Row] {
        let rows = try await client.query(
            "SELECT idempotency_key, status, attempts, last_error, message_id FROM email_outbox ORDER BY id"
        )
        var result: [Row] = []
        for try await (key, status, attempts, error, messageID) in rows.decode(
            (String, String, Int, String?, String).self
        ) {
            result.append(Row(key: key, status: status, attempts: attempts, lastError: error, messageID: messageID))
        }
        return result
    }

    func raw(_ key: String) async throws -> [UInt8]? {
        let rows = try await client.query("SELECT raw_message FROM email_outbox WHERE idempotency_key = \(key)")
        for try await bytes in rows.decode(ByteBuffer?.self) { return bytes.map { Array($0.readableBytesView) } }
        return nil
    }

    func count(_ query: PostgresQuery) async throws -> Int {
        for try await count in try await client.query(query).decode(Int.self) { return count }
        return 0
    }

    /// Each message's header `name`, unfolded, as Python's `email` package decodes it (RFC 2047).
    func decodedHeaders(_ name: String) async throws -> [String] {
        let script = """
            import email, email.policy, sys, os
            d = sys.argv[1]
            for f in sorted(os.listdir(d)):
                if f.endswith('.eml'):
                    m = email.message_from_bytes(open(os.path.join(d, f), 'rb').read(), policy=email.policy.default)
                    print(str(m[sys.argv[2]]))
            """
        let (python, maildir) = (SMTPSink.python, sink.maildir.path)
        return try await SMTPSink.offPool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = ["-c", script, maildir, name]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        }
    }
}
