import Foundation
import PostgresNIO

/// SQL for legal holds, and the lock that makes placing one race-free against a deletion.
public struct LegalHoldRepository: Sendable {
    public init() {}

    /// Placing a hold takes this lock exclusively and every deletion takes it shared (worker.md
    /// 6.6 step 3): a placement waits for in-flight deletions and blocks new ones until it
    /// commits, so every later re-check sees the hold. Transaction-scoped: a crash releases it.
    public func lockForPlacement(on connection: PostgresConnection) async throws {
        try await connection.query(
            "SELECT pg_advisory_xact_lock(hashtext('legal_hold'))",
            logger: PersonRepository.logger
        )
    }

    public func lockForDeletion(on connection: PostgresConnection) async throws {
        try await connection.query(
            "SELECT pg_advisory_xact_lock_shared(hashtext('legal_hold'))",
            logger: PersonRepository.logger
        )
    }

    public func insert(_ hold: LegalHold, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO legal_holds (id, scope, subject_id, reason, case_reference, placed_by, placed_at)
            VALUES (\(hold.id.uuid), \(hold.scope.rawValue), \(hold.subjectID), \(hold.reason), \(hold.caseReference),
                    \(hold.placedBy.uuid), \(hold.placedAt))
            """,
            logger: PersonRepository.logger
        )
    }

    /// Releases an active hold; false when it was released already (the row is locked first so
    /// two releases cannot both succeed).
    public func release(
        _ id: LegalHold.ID,
        by admin: PersonID,
        reason: String,
        at now: Date,
        on connection: PostgresConnection
    ) async throws -> Bool {
        try await connection.query(
            """
            UPDATE legal_holds SET released_by = \(admin.uuid), released_at = \(now), release_reason = \(reason)
            WHERE id = \(id.uuid) AND released_at IS NULL
            RETURNING id
            """,
            logger: PersonRepository.logger
        ).hasRow()
    }

    public func find(_ id: LegalHold.ID, on connection: PostgresConnection) async throws -> LegalHold? {
        try await list(active: nil, after: nil, limit: 1, id: id, on: connection).first
    }

    /// Every active hold: few in practice (a handful of cases), so retention matches them in Swift.
    public func active(on connection: PostgresConnection) async throws -> [LegalHold] {
        try await list(active: true, after: nil, limit: 100_000, on: connection)
    }

    /// Active holds that cover one portfolio of one trainee.
    public func active(
        covering portfolio: Portfolio.ID,
        trainee: PersonID,
        on connection: PostgresConnection
    ) async throws -> [LegalHold] {
        let rows = try await connection.query(
            """
            SELECT id, scope, subject_id, reason, case_reference, placed_by, placed_at, released_by, released_at, release_reason
            FROM legal_holds
            WHERE released_at IS NULL
              AND (scope = 'all' OR (scope = 'portfolio' AND subject_id = \(portfolio.uuid))
                   OR (scope = 'trainee' AND subject_id = \(trainee.uuid)))
            ORDER BY id
            """,
            logger: PersonRepository.logger
        )
        return try await Self.decode(rows)
    }

    /// Newest first.
    public func list(
        active: Bool?,
        after: UUID?,
        limit: Int,
        id: LegalHold.ID? = nil,
        on connection: PostgresConnection
    ) async throws -> [LegalHold] {
        let rows = try await connection.query(
            """
            SELECT id, scope, subject_id, reason, case_reference, placed_by, placed_at, released_by, released_at, release_reason
            FROM legal_holds
            WHERE (\(active)::boolean IS NULL OR (released_at IS NULL) = \(active))
              AND (\(after)::uuid IS NULL OR id < \(after))
              AND (\(id?.uuid)::uuid IS NULL OR id = \(id?.uuid))
            ORDER BY id DESC
            LIMIT \(limit)
            """,
            logger: PersonRepository.logger
        )
        return try await Self.decode(rows)
    }

    public func countActive(on connection: PostgresConnection) async throws -> Int {
        let rows = try await connection.query(
            "SELECT count(*)::int FROM legal_holds WHERE released_at IS NULL",
            logger: PersonRepository.logger
        )
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    private static func decode(_ rows: PostgresRowSequence) async throws -> [LegalHold] {
        var holds: [LegalHold] = []
        for try await (
            id, scope, subject, reason, caseReference, placedBy, placedAt, releasedBy, releasedAt, releaseReason
        )
            in rows.decode((UUID, String, UUID?, String, String, UUID, Date, UUID?, Date?, String?).self)
        {
            guard let scope = LegalHold.Scope(rawValue: scope) else { continue }
            holds.append(
                LegalHold(
                    id: LegalHold.ID(id),
                    scope: scope,
                    subjectID: subject,
                    reason: reason,
                    caseReference: caseReference,
                    placedBy: PersonID(placedBy),
                    placedAt: placedAt,
                    releasedBy: releasedBy.map(PersonID.init),
                    releasedAt: releasedAt,
                    releaseReason: releaseReason
                )
            )
        }
        return holds
    }
}
