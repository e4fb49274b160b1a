import Foundation
import PostgresNIO

/// SQL for progress reviews, advice and decisions, and the schedule's inputs.
public struct ProgressRecordRepository: Sendable {
    public init() {}

    public func insert(_ record: ProgressRecord, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO progress_records (id, portfolio_id, kind, form_key, form_version, is_test, held_on, answers,
                                          summary, author_id, author_rule, amends, amend_reason, created_at, updated_at)
            VALUES (\(record.id.uuid), \(record.portfolioID.uuid), \(record.kind.rawValue), \(record.formKey),
                    \(record.formVersion), \(record.isTest), \(record.heldOn.description)::date,
                    \(JSONValue.object(record.answers).jsonText)::jsonb, \(record.summary), \(record.authorID.uuid),
                    \(record.authorRule), \(record.amends?.uuid), \(record.amendReason), \(record.createdAt),
                    \(record.updatedAt))
            """,
            logger: PersonRepository.logger
        )
    }

    public func find(_ id: ProgressRecord.ID, on connection: PostgresConnection) async throws -> ProgressRecord? {
        let rows = try await connection.query(
            "SELECT \(unescaped: Self.columns) FROM progress_records WHERE id = \(id.uuid)",
            logger: PersonRepository.logger
        )
        return try await Self.records(rows).first
    }

    public func list(
        portfolio: Portfolio.ID,
        kind: ProgressRecord.Kind?,
        includeTest: Bool,
        page: PageRequest,
        on connection: PostgresConnection
    ) async throws -> [ProgressRecord] {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.columns) FROM progress_records
            WHERE portfolio_id = \(portfolio.uuid) AND (\(includeTest) OR NOT is_test)
              AND (\(kind?.rawValue)::text IS NULL OR kind = \(kind?.rawValue))
              AND (\(page.after)::uuid IS NULL OR id > \(page.after))
            ORDER BY id
            LIMIT \(page.limit + 1)
            """,
            logger: PersonRepository.logger
        )
        return try await Self.records(rows)
    }

    /// Writes the changed fields of an unsigned record if its version is still `expectedVersion`.
    public func update(
        _ record: ProgressRecord,
        expectedVersion: Int,
        on connection: PostgresConnection
    ) async throws -> Bool {
        let rows = try await connection.query(
            """
            UPDATE progress_records SET held_on = \(record.heldOn.description)::date,
                answers = \(JSONValue.object(record.answers).jsonText)::jsonb, summary = \(record.summary),
                version = version + 1, updated_at = \(record.updatedAt)
            WHERE id = \(record.id.uuid) AND version = \(expectedVersion) AND signed_at IS NULL
            RETURNING id
            """,
            logger: PersonRepository.logger
        ).collect()
        return !rows.isEmpty
    }

    /// Signs an unsigned record; false when it was signed already (by a concurrent request).
    public func sign(
        _ id: ProgressRecord.ID,
        by signer: PersonID,
        at now: Date,
        on connection: PostgresConnection
    ) async throws -> Bool {
        let rows = try await connection.query(
            """
            UPDATE progress_records SET signed_at = \(now), signed_by = \(signer.uuid), version = version + 1,
                updated_at = \(now)
            WHERE id = \(id.uuid) AND signed_at IS NULL
            RETURNING id
            """,
            logger: PersonRepository.logger
        ).collect()
        return !rows.isEmpty
    }

    /// What the schedule of one trainee is computed from.
    public struct ScheduleInput: Sendable {
        public let portfolioID: Portfolio.ID
        public let traineeID: PersonID
        public let start: CalendarDate
        public let end: CalendarDate
        public let held: [(id: ProgressRecord.ID, heldOn: CalendarDate)]
    }

    /// Start, end (completion or expected end) and the signed reviews that count (no tests, no
    /// amendments) of one portfolio, or of every trainee still in training when `portfolio` is nil.
    public func scheduleInputs(
        portfolio: Portfolio.ID?,
        on connection: PostgresConnection
    ) async throws -> [ScheduleInput] {
        let rows = try await connection.query(
            """
            SELECT p.id, t.person_id, to_char(t.start_date, 'YYYY-MM-DD'),
                   to_char(coalesce(t.completed_at, t.expected_end_date), 'YYYY-MM-DD'),
                   coalesce(array_agg(r.id ORDER BY r.held_on, r.id) FILTER (WHERE r.id IS NOT NULL), '{}'),
                   coalesce(array_agg(to_char(r.held_on, 'YYYY-MM-DD') ORDER BY r.held_on, r.id)
                            FILTER (WHERE r.id IS NOT NULL), '{}')
            FROM portfolios p
            JOIN trainee_profiles t ON t.person_id = p.trainee_id
            LEFT JOIN progress_records r ON r.portfolio_id = p.id AND r.kind = 'review' AND NOT r.is_test
                                         AND r.amends IS NULL AND r.signed_at IS NOT NULL
            WHERE (\(portfolio?.uuid)::uuid IS NULL AND t.status = 'active') OR p.id = \(portfolio?.uuid)
            GROUP BY p.id, t.person_id, t.start_date, t.completed_at, t.expected_end_date
            ORDER BY p.id
            """,
            logger: PersonRepository.logger
        )
        var inputs: [ScheduleInput] = []
        for try await (id, trainee, start, end, reviewIDs, heldOn) in rows.decode(
            (UUID, UUID, String, String, [UUID], [String]).self
        ) {
            guard let start = CalendarDate(start), let end = CalendarDate(end) else { continue }
            let held = zip(reviewIDs, heldOn).compactMap { id, date in
                CalendarDate(date).map { (id: ProgressRecord.ID(id), heldOn: $0) }
            }
            inputs.append(
                ScheduleInput(portfolioID: .init(id), traineeID: PersonID(trainee), start: start, end: end, held: held)
            )
        }
        return inputs
    }

    private static let columns = """
        id, portfolio_id, kind, form_key, form_version, is_test, to_char(held_on, 'YYYY-MM-DD'), answers::text, summary,
        author_id, author_rule, amends, amend_reason, signed_at, signed_by, version::int, created_at, updated_at
        """

    private static func records(_ rows: PostgresRowSequence) async throws -> [ProgressRecord] {
        var records: [ProgressRecord] = []
        for try await row in rows {
            let (
                id, portfolio, kind, key, formVersion, isTest, heldOn, answers, summary, author, rule, amends, reason,
                signedAt, signedBy, version, created, updated
            ) = try row.decode(
                (
                    UUID, UUID, String, String, Int, Bool, String, String, String, UUID, String, UUID?, String?,
                    Date?, UUID?, Int, Date, Date
                ).self
            )
            guard let kind = ProgressRecord.Kind(rawValue: kind), let heldOn = CalendarDate(heldOn),
                case .object(let parsed) = try JSONValue(jsonText: answers)
            else { continue }
            records.append(
                ProgressRecord(
                    id: .init(id),
                    portfolioID: .init(portfolio),
                    kind: kind,
                    formKey: key,
                    formVersion: formVersion,
                    isTest: isTest,
                    heldOn: heldOn,
                    answers: parsed,
                    summary: summary,
                    authorID: PersonID(author),
                    authorRule: rule,
                    amends: amends.map { .init($0) },
                    amendReason: reason,
                    signedAt: signedAt,
                    signedBy: signedBy.map(PersonID.init),
                    version: version,
                    createdAt: created,
                    updatedAt: updated
                )
            )
        }
        return records
    }
}
