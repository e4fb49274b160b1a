import DossierCore
import DossierTestSupport
import DossierWorker
import Foundation
import Logging
import PostgresNIO

/// A migrated database with an admin, a pinned clock (2026-11-23 11:00 in Amsterdam) and the
/// retention services, plus helpers that seed trainees with portfolio content by SQL.
struct RetentionWorld: Sendable {
    static let secretKey = SecretKey(base64: Data(repeating: 42, count: 32).base64EncodedString())!
    static let start = ISO8601DateFormatter().date(from: "2026-11-23T10:00:00Z")!
    /// The rows of a seeded portfolio: 2 entries, 2 comments, 2 attachments, 2 chunks, an
    /// invitation, its assessment, a signed review and its amendment.
    static let whole = 12

    let testDatabase: TestDatabase
    let client: PostgresClient
    let database: Database
    let clock: FixedWallClock
    let admin: PersonID
    /// Another admin, who approves what `admin` requested (four eyes).
    let secondAdmin: PersonID
    let retention: RetentionService
    let executor: RetentionExecutor
    let holds: LegalHoldService
    let logger = TestLogger.make("test.worker")

    static func test(_ body: @Sendable (RetentionWorld) async throws -> Void) async throws {
        try await TestDatabase.withMigrated { testDatabase in
            try await testDatabase.withAppClient { client in
                let clock = FixedWallClock(start)
                let database = Database(client: client, logger: TestLogger.make("test.worker"))
                let admin = PersonID(UUID())
                let secondAdmin = PersonID(UUID())
                try await client.query(
                    """
                    INSERT INTO people (id, name, email, roles)
                    VALUES (\(admin.uuid), 'Ada Admin', 'ada.admin@dossier.test', ARRAY['admin']),
                           (\(secondAdmin.uuid), 'Bo Beheer', 'bo.beheer@dossier.test', ARRAY['admin'])
                    """
                )
                let logger = TestLogger.make("test.worker")
                try await body(
                    RetentionWorld(
                        testDatabase: testDatabase,
                        client: client,
                        database: database,
                        clock: clock,
                        admin: admin,
                        secondAdmin: secondAdmin,
                        retention: RetentionService(
                            database: database,
                            clock: clock,
                            secretKey: secretKey,
                            logger: logger
                        ),
                        executor: RetentionExecutor(
                            database: database,
                            clock: clock,
                            secretKey: secretKey,
                            pause: .zero,
                            logger: logger
                        ),
                        holds: LegalHoldService(database: database, clock: clock, logger: logger)
                    )
                )
            }
        }
    }

    var adminCaller: Caller {
        Caller(
            principal: .person(admin, roles: [.admin]),
            tokenID: .generate(),
            scopes: Set(Scope.allCases),
            requestID: "test",
            clientIP: nil
        )
    }

    /// A seeded trainee and their portfolio.
    struct Trainee: Sendable {
        let person: PersonID
        let portfolio: Portfolio.ID
        let name: String
        let email: String
    }

    /// What a restored backup brings back of a purged trainee besides the portfolio: the profile,
    /// which reattaches to the tombstone portfolio.
    func restoreProfile(of trainee: Trainee, completed: String) async throws {
        try await client.query(
            """
            INSERT INTO trainee_profiles (person_id, start_date, expected_end_date, training_year, site, status, completed_at)
            VALUES (\(trainee.person.uuid), '2020-09-01', '2023-09-01', 3, 'leiden', 'completed', \(completed)::date)
            """
        )
    }

    /// A trainee whose training ended on `completed` (nil: still in training), with two entries,
    /// each with a comment and a small attachment, an invited assessment and a signed, amended
    /// progress review in their portfolio.
    func trainee(_ name: String, completed: String?, roles: [String] = ["trainee"]) async throws -> Trainee {
        let person = UUID()
        let email = "\(name.lowercased().replacingOccurrences(of: " ", with: "."))@dossier.test"
        try await client.query(
            "INSERT INTO people (id, name, email, roles) VALUES (\(person), \(name), \(email), \(roles))"
        )
        // Dates of its own per trainee, so a search after a purge finds only this trainee's.
        try await client.query(
            """
            INSERT INTO trainee_profiles (person_id, start_date, expected_end_date, training_year, site, status, completed_at)
            VALUES (\(person), '2019-09-01'::date + abs(hashtext(\(name))) % 360,
                    '2022-09-01'::date + abs(hashtext(\(name))) % 360, 3, 'leiden',
                    CASE WHEN \(completed)::date IS NULL THEN 'active' ELSE 'completed' END, \(completed)::date)
            """
        )
        if completed != nil {
            try await client.query(
                """
                INSERT INTO completion_events (id, trainee_id, completed_at, outcome, reason, recorded_by)
                VALUES (\(UUID()), \(person), \(completed)::date, 'completed', \("Reason for \(name)"), \(admin.uuid))
                """
            )
        }
        try await client.query(
            """
            INSERT INTO supervisions (id, kind, supervisor_id, trainee_id, valid_from)
            VALUES (\(UUID()), 'trainer', \(secondAdmin.uuid), \(person), '2020-09-01')
            """
        )
        var portfolio = UUID()
        for try await id in try await client.query("SELECT id FROM portfolios WHERE trainee_id = \(person)").decode(
            UUID.self
        ) { portfolio = id }
        for title in ["Reflection of \(name)", "Case of \(name)"] {
            let entry = UUID()
            try await client.query(
                """
                INSERT INTO entries (id, portfolio_id, kind, title, body, shared, created_at, updated_at)
                VALUES (\(entry), \(portfolio), 'reflection', \(title), \("Notes by \(name)"), true, now(), now())
                """
            )
            try await client.query(
                """
                INSERT INTO entry_comments (id, entry_id, author_id, body, created_at)
                VALUES (\(UUID()), \(entry), \(admin.uuid), \("Feedback for \(name)"), now())
                """
            )
            let attachment = UUID()
            try await client.query(
                """
                INSERT INTO attachments (id, entry_id, file_name, media_type, size, sha256, crc32, uploaded_by, created_at)
                VALUES (\(attachment), \(entry), 'notes.txt', 'text/plain', 5, sha256('hello'::bytea), 907060870,
                        \(person), now())
                """
            )
            try await client.query(
                "INSERT INTO attachment_chunks (attachment_id, index, data) VALUES (\(attachment), 0, 'hello'::bytea)"
            )
        }
        try await formalRecords(in: portfolio, of: name)
        return Trainee(person: PersonID(person), portfolio: Portfolio.ID(portfolio), name: name, email: email)
    }

    /// An invited assessment and a signed progress review with its amendment: the records whose
    /// constraints (single-use invitations, signed-is-final, amendments) a purge must get past.
    private func formalRecords(in portfolio: UUID, of name: String) async throws {
        let invitation = UUID()
        try await client.query(
            """
            INSERT INTO assessment_invitations
                (id, portfolio_id, form_key, invitee_name, token_hash, expires_at, used_at, created_by, created_at)
            VALUES (\(invitation), \(portfolio), 'kba', 'Nurse Nina', sha256(\(invitation.uuidString)::bytea), now(), now(),
                    \(admin.uuid), now())
            """
        )
        try await client.query(
            """
            INSERT INTO assessments (id, portfolio_id, form_key, form_version, is_test, invitation_id, assessor_name,
                                     assessor_role, answers, narrative, assessed_on, created_at)
            VALUES (\(UUID()), \(portfolio), 'kba', 1, false, \(invitation), 'Nurse Nina', 'nurse', '{}',
                    \("Observed \(name)"), '2023-05-01', now())
            """
        )
        let review = UUID()
        try await client.query(
            """
            INSERT INTO progress_records (id, portfolio_id, kind, form_key, form_version, is_test, held_on, answers, summary,
                                          author_id, author_rule, signed_at, signed_by, created_at, updated_at)
            VALUES (\(review), \(portfolio), 'review', 'progress-review', 1, false, '2023-03-01', '{}',
                    \("Review of \(name)"), \(admin.uuid), 'coordinator', now(), \(admin.uuid), now(), now())
            """
        )
        try await client.query(
            """
            INSERT INTO progress_records (id, portfolio_id, kind, form_key, form_version, is_test, held_on, answers, summary,
                                          author_id, author_rule, amends, amend_reason, created_at, updated_at)
            VALUES (\(UUID()), \(portfolio), 'review', 'progress-review', 1, false, '2023-03-01', '{}',
                    'Corrected', \(admin.uuid), 'coordinator', \(review), 'typo', now(), now())
            """
        )
    }

    /// Rows still in the portfolio: entries, comments, attachments, chunks, invitations,
    /// assessments and progress records (`RetentionWorld.whole` when nothing was deleted).
    func content(of trainee: Trainee) async throws -> Int {
        let rows = try await client.query(
            """
            SELECT (SELECT count(*) FROM entries WHERE portfolio_id = \(trainee.portfolio.uuid))
                 + (SELECT count(*) FROM entry_comments c JOIN entries e ON e.id = c.entry_id
                    WHERE e.portfolio_id = \(trainee.portfolio.uuid))
                 + (SELECT count(*) FROM attachments a JOIN entries e ON e.id = a.entry_id
                    WHERE e.portfolio_id = \(trainee.portfolio.uuid))
                 + (SELECT count(*) FROM attachment_chunks k JOIN attachments a ON a.id = k.attachment_id
                    JOIN entries e ON e.id = a.entry_id WHERE e.portfolio_id = \(trainee.portfolio.uuid))
                 + (SELECT count(*) FROM assessment_invitations WHERE portfolio_id = \(trainee.portfolio.uuid))
                 + (SELECT count(*) FROM assessments WHERE portfolio_id = \(trainee.portfolio.uuid))
                 + (SELECT count(*) FROM progress_records WHERE portfolio_id = \(trainee.portfolio.uuid))
            """
        )
        for try await count in rows.decode(Int.self) { return count }
        return -1
    }

    /// The portfolio's disposal state: (hidden, disposed).
    func state(of trainee: Trainee) async throws -> (hidden: Bool, disposed: Bool) {
        let rows = try await client.query(
            "SELECT hidden_at IS NOT NULL, disposed_at IS NOT NULL FROM portfolios WHERE id = \(trainee.portfolio.uuid)"
        )
        for try await state in rows.decode((Bool, Bool).self) { return state }
        return (false, false)
    }

    func person(_ trainee: Trainee) async throws -> (name: String, email: String) {
        let rows = try await client.query("SELECT name, email FROM people WHERE id = \(trainee.person.uuid)")
        for try await person in rows.decode((String, String).self) { return person }
        return ("", "")
    }

    func count(_ query: PostgresQuery) async throws -> Int {
        for try await count in try await client.query(query).decode(Int.self) { return count }
        return 0
    }

    func worker(id: UUID = UUID(), failpoints: Failpoints = .disabled) throws -> Worker {
        try buildWorker(dependencies(failpoints: failpoints), id: id)
    }

    /// The worker's dependencies on this world's database and clock, without the pause between
    /// portfolios.
    func dependencies(failpoints: Failpoints = .disabled) -> WorkerDependencies {
        WorkerDependencies(
            database: database,
            clock: clock,
            secretKey: Self.secretKey,
            failpoints: failpoints,
            retentionPause: .zero,
            logger: logger
        )
    }

    /// Sets the policy's circuit breaker (a new policy version, as an admin would).
    func autoApprove(atMost maximum: Int) async throws {
        _ = try await retention.changePolicy(
            RetentionPolicyChange(
                keepMonths: 24,
                downloadMonths: 6,
                graceDays: 14,
                autoApproveMax: maximum,
                reason: "test"
            ),
            caller: adminCaller
        )
    }

    /// The tables (read as the owner) whose rows hold any of `needles`, case-insensitively, with
    /// the needles found in each: a search of the whole database for what a purge must not leave.
    func tablesHolding(_ needles: [String]) async throws -> [String: Set<String>] {
        try await testDatabase.withOwnerClient { owner in
            var tables: [String] = []
            let names = try await owner.query(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
                logger: logger
            )
            for try await name in names.decode(String.self) { tables.append(name) }
            var found: [String: Set<String>] = [:]
            for table in tables {
                // Table names come from the catalog, not from input; identifiers cannot be bound.
                let query = PostgresQuery(
                    unsafeSQL: "SELECT lower(coalesce(string_agg(t::text, '|'), '')) FROM \"\(table)\" t"
                )
                for try await text in try await owner.query(query, logger: logger).decode(String.self) {
                    let hits = Set(needles.filter { text.contains($0.lowercased()) })
                    if !hits.isEmpty { found[table] = hits }
                }
            }
            return found
        }
    }

    /// The trainee's start and expected end date, as the profile holds them.
    func profileDates(of trainee: Trainee) async throws -> [String] {
        let rows = try await client.query(
            """
            SELECT start_date::text, expected_end_date::text FROM trainee_profiles
            WHERE person_id = \(trainee.person.uuid)
            """
        )
        for try await (start, end) in rows.decode((String, String).self) { return [start, end] }
        return []
    }

    /// Everything in the disposal log as text, to search for personal data.
    func disposalLogText() async throws -> String {
        var text = ""
        let rows = try await client.query(
            """
            SELECT concat_ws('|', seq, run_id, event, encode(subject_ref, 'hex'), policy_id, policy_version,
                             completed_month, item_count, byte_count, actor, at, encode(prev_hash, 'hex'),
                             encode(hash, 'hex'))
            FROM disposal_log ORDER BY seq
            """
        )
        for try await line in rows.decode(String.self) { text += line + "\n" }
        return text
    }
}

extension PostgresClient {
    @discardableResult
    func query(_ query: PostgresQuery) async throws -> PostgresRowSequence {
        try await self.query(query, logger: TestLogger.make("test.sql"))
    }
}
