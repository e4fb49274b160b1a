import Foundation
import PostgresNIO

/// SQL for portfolios and the retention policy they fall under.
public struct PortfolioRepository: Sendable {
    public init() {}

    public func find(_ id: Portfolio.ID, on connection: PostgresConnection) async throws -> Portfolio? {
        guard let policy = try await currentPolicy(on: connection) else { return nil }
        let rows = try await connection.query(
            """
            SELECT p.id, p.trainee_id, t.completed_at::text, p.created_at
            FROM portfolios p JOIN trainee_profiles t ON t.person_id = p.trainee_id
            WHERE p.id = \(id.uuid) AND p.hidden_at IS NULL
            """,
            logger: PersonRepository.logger
        )
        return try await Self.first(rows, policy: policy)
    }

    public func find(trainee: PersonID, on connection: PostgresConnection) async throws -> Portfolio? {
        guard let policy = try await currentPolicy(on: connection) else { return nil }
        let rows = try await connection.query(
            """
            SELECT p.id, p.trainee_id, t.completed_at::text, p.created_at
            FROM portfolios p JOIN trainee_profiles t ON t.person_id = p.trainee_id
            WHERE p.trainee_id = \(trainee.uuid) AND p.hidden_at IS NULL
            """,
            logger: PersonRepository.logger
        )
        return try await Self.first(rows, policy: policy)
    }

    /// The newest version of the default policy; a new version applies to every portfolio at once.
    public func currentPolicy(on connection: PostgresConnection) async throws -> RetentionPolicy? {
        try await RetentionPolicyRepository().current(on: connection)?.policy
    }

    private static func first(_ rows: PostgresRowSequence, policy: RetentionPolicy) async throws -> Portfolio? {
        for try await (id, trainee, completed, created) in rows.decode((UUID, UUID, String?, Date).self) {
            return Portfolio(
                id: Portfolio.ID(id),
                traineeID: PersonID(trainee),
                completedAt: completed.flatMap(CalendarDate.init),
                policy: policy,
                createdAt: created
            )
        }
        return nil
    }
}

extension PortfolioRepository {
    /// The run that disposed of the trainee's portfolio, or nil while it exists.
    public func tombstone(trainee: PersonID, on connection: PostgresConnection) async throws -> RetentionRun.ID? {
        let rows = try await connection.query(
            "SELECT disposed_by_run FROM portfolios WHERE trainee_id = \(trainee.uuid) AND disposed_at IS NOT NULL",
            logger: PersonRepository.logger
        )
        for try await run in rows.decode(UUID.self) { return RetentionRun.ID(run) }
        return nil
    }
}
