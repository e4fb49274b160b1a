import Foundation
import PostgresNIO

/// SQL that hides and purges one portfolio. Each runs inside the caller's one short transaction,
/// so a portfolio is always either whole or fully gone, never partly deleted.
public struct DisposalRepository: Sendable {
    public init() {}

    /// Bounds a deletion so it can never hang behind a lock or run away (worker.md 6.6 step 2).
    public func limitStatementTimes(on connection: PostgresConnection) async throws {
        try await connection.query("SET LOCAL lock_timeout = '2s'", logger: PersonRepository.logger)
        try await connection.query("SET LOCAL statement_timeout = '30s'", logger: PersonRepository.logger)
    }

    /// The soft delete: from now on the API answers 404 for the portfolio and everything in it.
    public func hide(_ portfolio: Portfolio.ID, at now: Date, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE portfolios SET hidden_at = coalesce(hidden_at, \(now)) WHERE id = \(portfolio.uuid)",
            logger: PersonRepository.logger
        )
    }

    /// Deletes the portfolio's content (entries with their comments, attachments and chunks,
    /// assessments and invitations, progress records), keeps the row as a tombstone naming the
    /// run, and anonymises the trainee unless they hold another role. Returns what it deleted.
    public func purge(
        _ portfolio: Portfolio.ID,
        trainee: PersonID,
        run: RetentionRun.ID,
        at now: Date,
        on connection: PostgresConnection
    ) async throws -> (items: Int, bytes: Int64) {
        let counted = try await connection.query(
            """
            SELECT (SELECT count(*) FROM entries WHERE portfolio_id = \(portfolio.uuid))
                 + (SELECT count(*) FROM entry_comments c JOIN entries e ON e.id = c.entry_id
                    WHERE e.portfolio_id = \(portfolio.uuid))
                 + (SELECT count(*) FROM attachments a JOIN entries e ON e.id = a.entry_id
                    WHERE e.portfolio_id = \(portfolio.uuid))
                 + (SELECT count(*) FROM assessments WHERE portfolio_id = \(portfolio.uuid))
                 + (SELECT count(*) FROM assessment_invitations WHERE portfolio_id = \(portfolio.uuid))
                 + (SELECT count(*) FROM progress_records WHERE portfolio_id = \(portfolio.uuid)),
                   (SELECT coalesce(sum(a.size), 0) FROM attachments a JOIN entries e ON e.id = a.entry_id
                    WHERE e.portfolio_id = \(portfolio.uuid))::bigint
            """,
            logger: PersonRepository.logger
        )
        var items = 0
        var bytes: Int64 = 0
        for try await (count, size) in counted.decode((Int, Int64).self) {
            items = count
            bytes = size
        }
        // Children first; the cascades take comments, attachments and their chunks with the entries.
        try await connection.query(
            "DELETE FROM assessments WHERE portfolio_id = \(portfolio.uuid)",
            logger: PersonRepository.logger
        )
        try await connection.query(
            "DELETE FROM assessment_invitations WHERE portfolio_id = \(portfolio.uuid)",
            logger: PersonRepository.logger
        )
        try await connection.query(
            "DELETE FROM progress_records WHERE portfolio_id = \(portfolio.uuid)",
            logger: PersonRepository.logger
        )
        try await connection.query(
            "DELETE FROM entries WHERE portfolio_id = \(portfolio.uuid)",
            logger: PersonRepository.logger
        )
        try await connection.query(
            """
            UPDATE portfolios SET hidden_at = coalesce(hidden_at, \(now)), disposed_at = \(now), disposed_by_run = \(run.uuid)
            WHERE id = \(portfolio.uuid)
            """,
            logger: PersonRepository.logger
        )
        // The id stays (the access log keeps identifiers for five years); the name and e-mail go,
        // unless the person also works here in another role, and so do their tokens.
        let anonymised = try await connection.query(
            """
            UPDATE people
            SET name = 'Disposed trainee', email = 'disposed+' || id::text || '@invalid.example',
                version = version + 1, updated_at = \(now)
            WHERE id = \(trainee.uuid) AND roles = ARRAY['trainee']::text[]
            RETURNING id
            """,
            logger: PersonRepository.logger
        )
        // The profile (dates, site, group) goes whoever the person is, and with it, by cascade,
        // the completion history with its free-text reasons and the supervisions.
        try await connection.query(
            "DELETE FROM trainee_profiles WHERE person_id = \(trainee.uuid)",
            logger: PersonRepository.logger
        )
        var wasAnonymised = false
        for try await _ in anonymised.decode(UUID.self) { wasAnonymised = true }
        if wasAnonymised {
            try await connection.query(
                "UPDATE api_tokens SET revoked_at = \(now) WHERE person_id = \(trainee.uuid) AND revoked_at IS NULL",
                logger: PersonRepository.logger
            )
        }
        return (items, bytes)
    }

    /// nil when no such portfolio exists; otherwise the run that disposed of it, or nil inside
    /// while it exists. `locking` holds the row until commit (a hold being placed on it).
    public func disposal(
        of portfolio: Portfolio.ID,
        locking: Bool,
        on connection: PostgresConnection
    ) async throws -> RetentionRun.ID?? {
        let rows =
            locking
            ? try await connection.query(
                "SELECT disposed_by_run FROM portfolios WHERE id = \(portfolio.uuid) FOR UPDATE",
                logger: PersonRepository.logger
            )
            : try await connection.query(
                "SELECT disposed_by_run FROM portfolios WHERE id = \(portfolio.uuid)",
                logger: PersonRepository.logger
            )
        for try await run in rows.decode(UUID?.self) { return .some(run.map(RetentionRun.ID.init)) }
        return nil
    }

    /// Whether a trainee with this id exists or existed: their portfolio, or its tombstone (a hold
    /// on an unknown trainee is a 404).
    public func traineeExists(_ trainee: UUID, on connection: PostgresConnection) async throws -> Bool {
        try await connection.query(
            "SELECT 1 FROM portfolios WHERE trainee_id = \(trainee)",
            logger: PersonRepository.logger
        ).hasRow()
    }
}
