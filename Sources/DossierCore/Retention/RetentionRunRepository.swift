import Foundation
import PostgresNIO

/// SQL for retention runs and their plans.
public struct RetentionRunRepository: Sendable {
    public init() {}

    /// Runs approved or running whose execute job is gone for good (dead or cancelled): they can
    /// never finish, so a new plan aborts them and takes over what they left.
    public func stranded(on connection: PostgresConnection) async throws -> [RetentionRun.ID] {
        let rows = try await connection.query(
            """
            SELECT r.id FROM retention_runs r
            WHERE r.status IN ('approved', 'running')
              AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.unique_key = 'retention.execute:' || r.id::text
                                                     AND j.state IN ('available', 'running', 'succeeded'))
            ORDER BY r.id FOR UPDATE OF r
            """,
            logger: PersonRepository.logger
        )
        var ids: [RetentionRun.ID] = []
        for try await id in rows.decode(UUID.self) { ids.append(RetentionRun.ID(id)) }
        return ids
    }

    public func insert(
        _ run: RetentionRun,
        candidates: [RetentionCandidate],
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO retention_runs
                (id, mode, policy_id, policy_version, as_of, trigger, requested_by, status, approved_by, approved_at,
                 counts, windows, created_at, finished_at)
            VALUES (\(run.id.uuid), \(run.mode.rawValue), \(run.policyID), \(run.policyVersion),
                    \(run.asOf.description)::date, \(run.trigger.rawValue), \(run.requestedBy?.uuid), \(run.status.rawValue),
                    \(run.approvedBy?.uuid), \(run.approvedAt), \(Self.json(run.counts))::jsonb,
                    \(Self.json(run.windows))::jsonb, \(run.createdAt), \(run.finishedAt))
            """,
            logger: PersonRepository.logger
        )
        guard !candidates.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO retention_candidates
                (run_id, portfolio_id, trainee_id, completed_at, hide_on, delete_after, planned, hold_id)
            SELECT \(run.id.uuid), portfolio, trainee, completed::date, hide_on::date, delete_after::date, planned,
                   nullif(hold, '')::uuid
            FROM unnest(\(candidates.map(\.portfolioID.uuid))::uuid[], \(candidates.map(\.traineeID.uuid))::uuid[],
                        \(candidates.map(\.dates.completedAt.description))::text[],
                        \(candidates.map(\.dates.hideOn.description))::text[],
                        \(candidates.map(\.dates.deleteAfter.description))::text[],
                        \(candidates.map(\.planned.rawValue))::text[],
                        \(candidates.map { $0.holdID?.uuid.uuidString ?? "" })::text[])
                AS c(portfolio, trainee, completed, hide_on, delete_after, planned, hold)
            """,
            logger: PersonRepository.logger
        )
    }

    public func find(_ id: RetentionRun.ID, on connection: PostgresConnection) async throws -> RetentionRun? {
        try await list(mode: nil, status: nil, after: nil, limit: 1, id: id, on: connection).first
    }

    /// The run, locked for a state change (approval, start, finish).
    public func lock(_ id: RetentionRun.ID, on connection: PostgresConnection) async throws -> RetentionRun? {
        try await connection.query(
            "SELECT 1 FROM retention_runs WHERE id = \(id.uuid) FOR UPDATE",
            logger: PersonRepository.logger
        )
        return try await find(id, on: connection)
    }

    /// Newest first (ids are UUIDv7).
    public func list(
        mode: RetentionRun.Mode?,
        status: RetentionRun.Status?,
        after: UUID?,
        limit: Int,
        id: RetentionRun.ID? = nil,
        on connection: PostgresConnection
    ) async throws -> [RetentionRun] {
        let rows = try await connection.query(
            """
            SELECT id, mode, status, policy_id, policy_version, to_char(as_of, 'YYYY-MM-DD'), trigger, requested_by,
                   approved_by, approved_at, counts::text, windows::text, created_at, started_at, finished_at
            FROM retention_runs
            WHERE (\(mode?.rawValue)::text IS NULL OR mode = \(mode?.rawValue))
              AND (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue))
              AND (\(after)::uuid IS NULL OR id < \(after))
              AND (\(id?.uuid)::uuid IS NULL OR id = \(id?.uuid))
            ORDER BY id DESC
            LIMIT \(limit)
            """,
            logger: PersonRepository.logger
        )
        var runs: [RetentionRun] = []
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        for try await row in rows {
            let (
                id, mode, status, policyID, policyVersion, asOf, trigger, requestedBy, approvedBy, approvedAt, counts,
                windows, createdAt, startedAt, finishedAt
            ) = try row.decode(
                (
                    UUID, String, String, String, Int, String, String, UUID?, UUID?, Date?, String, String, Date, Date?,
                    Date?
                )
                .self
            )
            guard let mode = RetentionRun.Mode(rawValue: mode), let status = RetentionRun.Status(rawValue: status),
                let trigger = RetentionRun.Trigger(rawValue: trigger), let asOf = CalendarDate(asOf)
            else { continue }
            runs.append(
                RetentionRun(
                    id: RetentionRun.ID(id),
                    mode: mode,
                    status: status,
                    policyID: policyID,
                    policyVersion: policyVersion,
                    asOf: asOf,
                    trigger: trigger,
                    requestedBy: requestedBy.map(PersonID.init),
                    approvedBy: approvedBy.map(PersonID.init),
                    approvedAt: approvedAt,
                    counts: try decoder.decode(RetentionCounts.self, from: Data(counts.utf8)),
                    windows: try decoder.decode(RetentionWindowCounts.self, from: Data(windows.utf8)),
                    createdAt: createdAt,
                    startedAt: startedAt,
                    finishedAt: finishedAt
                )
            )
        }
        return runs
    }

    public func update(_ run: RetentionRun, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE retention_runs
            SET status = \(run.status.rawValue), approved_by = \(run.approvedBy?.uuid), approved_at = \(run.approvedAt),
                counts = \(Self.json(run.counts))::jsonb, started_at = \(run.startedAt), finished_at = \(run.finishedAt)
            WHERE id = \(run.id.uuid)
            """,
            logger: PersonRepository.logger
        )
    }

    /// Execute runs still waiting for approval, other than `run`: a newer plan supersedes them.
    public func awaitingApproval(
        except run: RetentionRun.ID,
        on connection: PostgresConnection
    ) async throws
        -> [RetentionRun.ID]
    {
        let rows = try await connection.query(
            """
            SELECT id FROM retention_runs WHERE status = 'awaiting_approval' AND id <> \(run.uuid) ORDER BY id FOR UPDATE
            """,
            logger: PersonRepository.logger
        )
        var ids: [RetentionRun.ID] = []
        for try await id in rows.decode(UUID.self) { ids.append(RetentionRun.ID(id)) }
        return ids
    }

    public func candidates(
        of run: RetentionRun.ID,
        after: UUID?,
        limit: Int,
        onlyOpen: Bool = false,
        on connection: PostgresConnection
    ) async throws -> [RetentionCandidate] {
        let rows = try await connection.query(
            """
            SELECT portfolio_id, trainee_id, to_char(completed_at, 'YYYY-MM-DD'), to_char(hide_on, 'YYYY-MM-DD'),
                   to_char(delete_after, 'YYYY-MM-DD'), planned, hold_id, outcome
            FROM retention_candidates
            WHERE run_id = \(run.uuid) AND (\(after)::uuid IS NULL OR portfolio_id > \(after))
              AND (NOT \(onlyOpen) OR (outcome IS NULL AND planned <> 'held'))
            ORDER BY portfolio_id
            LIMIT \(limit)
            """,
            logger: PersonRepository.logger
        )
        var candidates: [RetentionCandidate] = []
        for try await (portfolio, trainee, completed, hideOn, deleteAfter, planned, hold, outcome) in rows.decode(
            (UUID, UUID, String, String, String, String, UUID?, String?).self
        ) {
            guard let completed = CalendarDate(completed), let hideOn = CalendarDate(hideOn),
                let deleteAfter = CalendarDate(deleteAfter), let planned = RetentionCandidate.Planned(rawValue: planned)
            else { continue }
            candidates.append(
                RetentionCandidate(
                    portfolioID: Portfolio.ID(portfolio),
                    traineeID: PersonID(trainee),
                    dates: RetentionDates(completedAt: completed, deleteAfter: deleteAfter, hideOn: hideOn),
                    planned: planned,
                    holdID: hold.map(LegalHold.ID.init),
                    outcome: outcome.flatMap(RetentionCandidate.Outcome.init)
                )
            )
        }
        return candidates
    }

    public func setOutcome(
        _ outcome: RetentionCandidate.Outcome,
        run: RetentionRun.ID,
        portfolio: Portfolio.ID,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            UPDATE retention_candidates SET outcome = \(outcome.rawValue)
            WHERE run_id = \(run.uuid) AND portfolio_id = \(portfolio.uuid) AND outcome IS NULL
            """,
            logger: PersonRepository.logger
        )
    }

    /// Planned and done, counted from the candidates themselves.
    public func counts(of run: RetentionRun.ID, on connection: PostgresConnection) async throws -> RetentionCounts {
        let rows = try await connection.query(
            """
            SELECT count(*) FILTER (WHERE planned = 'hide')::int, count(*) FILTER (WHERE planned = 'purge')::int,
                   count(*) FILTER (WHERE planned = 'held')::int, count(*) FILTER (WHERE outcome = 'hidden')::int,
                   count(*) FILTER (WHERE outcome = 'purged')::int, count(*) FILTER (WHERE outcome = 'changed')::int,
                   count(*) FILTER (WHERE outcome = 'failed')::int
            FROM retention_candidates WHERE run_id = \(run.uuid)
            """,
            logger: PersonRepository.logger
        )
        var counts = RetentionCounts()
        for try await (hide, purge, held, hidden, purged, changed, failed) in rows.decode(
            (Int, Int, Int, Int, Int, Int, Int).self
        ) {
            counts.hide = hide
            counts.purge = purge
            counts.held = held
            counts.hidden = hidden
            counts.purged = purged
            counts.changed = changed
            counts.failed = failed
        }
        return counts
    }

    /// Deletes the candidate lists of runs that finished before `cutoff`.
    public func pruneCandidates(finishedBefore cutoff: Date, on connection: PostgresConnection) async throws -> Int {
        let rows = try await connection.query(
            """
            DELETE FROM retention_candidates c USING retention_runs r
            WHERE c.run_id = r.id AND r.status IN ('planned', 'done', 'aborted') AND r.finished_at < \(cutoff)
            RETURNING c.portfolio_id
            """,
            logger: PersonRepository.logger
        ).collect()
        return rows.count
    }

    private static func json<Value: Encodable>(_ value: Value) -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
