import Foundation
import PostgresNIO

/// SQL for portfolios and the retention policy they fall under.
public struct PortfolioRepository: Sendable {
    public init() {}

    public func find(_ id: Portfolio.ID, on connection: PostgresConnection) async throws -> Portfolio? {
        let rows = try await connection.query(
            """
            SELECT p.id, p.trainee_id, t.completed_at::text, p.created_at, \(unescaped: Self.policyColumns)
            FROM portfolios p JOIN trainee_profiles t ON t.person_id = p.trainee_id, \(unescaped: Self.currentPolicy)
            WHERE p.id = \(id.uuid) AND p.hidden_at IS NULL
            """,
            logger: PersonRepository.logger
        )
        return try await Self.first(rows)
    }

    public func find(trainee: PersonID, on connection: PostgresConnection) async throws -> Portfolio? {
        let rows = try await connection.query(
            """
            SELECT p.id, p.trainee_id, t.completed_at::text, p.created_at, \(unescaped: Self.policyColumns)
            FROM portfolios p JOIN trainee_profiles t ON t.person_id = p.trainee_id, \(unescaped: Self.currentPolicy)
            WHERE p.trainee_id = \(trainee.uuid) AND p.hidden_at IS NULL
            """,
            logger: PersonRepository.logger
        )
        return try await Self.first(rows)
    }

    /// The portfolio with the kind of `supervisor`'s supervision of its trainee on `day`, in one
    /// prepared statement: every read of a portfolio, or of what is in it, starts here.
    private struct ForSupervisorQuery: PostgresPreparedStatement {
        // Named by hand: PostgreSQL cuts a name at 63 bytes, where the default names of two private
        // statements of one file ("Module.Type.(unknown context at $...).") are still the same.
        static let name = "portfolio_for_supervisor"
        static let sql = """
            SELECT p.id, p.trainee_id, t.completed_at::text, p.created_at, \(PortfolioRepository.policyColumns),
                   (SELECT s.kind FROM supervisions s
                    WHERE s.supervisor_id = $2::uuid AND s.trainee_id = p.trainee_id
                      AND daterange(s.valid_from, s.valid_until, '[]') @> $3::text::date
                    ORDER BY s.kind LIMIT 1)
            FROM portfolios p JOIN trainee_profiles t ON t.person_id = p.trainee_id, \(PortfolioRepository.currentPolicy)
            WHERE p.id = $1 AND p.hidden_at IS NULL
            """
        typealias Row = (Portfolio, String?)

        let id: UUID
        let supervisor: UUID?
        let day: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 3)
            bindings.append(id)
            if let supervisor { bindings.append(supervisor) } else { bindings.appendNull() }
            bindings.append(day)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row {
            let (
                id, trainee, completed, created, policyID, version, keep, download, grace, autoApprove, fourEyes, kind
            ) =
                try row.decode((UUID, UUID, String?, Date, String, Int, Int, Int, Int, Int, Bool, String?).self)
            let columns = (
                id, trainee, completed, created, policyID, version, keep, download, grace, autoApprove, fourEyes
            )
            return (PortfolioRepository.portfolio(columns), kind)
        }
    }

    /// The portfolio with `id`, and how `supervisor` (when a person) supervises its trainee on `day`.
    public func find(
        _ id: Portfolio.ID,
        supervisor: PersonID?,
        on day: CalendarDate,
        connection: PostgresConnection
    ) async throws -> (Portfolio, SupervisionKind?)? {
        let rows = try await connection.execute(
            ForSupervisorQuery(id: id.uuid, supervisor: supervisor?.uuid, day: day.description),
            logger: PersonRepository.logger
        )
        for try await (portfolio, kind) in rows { return (portfolio, kind.flatMap(SupervisionKind.init)) }
        return nil
    }

    /// The newest version of the default policy, read with the portfolio in one query: a new
    /// version applies to every portfolio at once.
    private static let currentPolicy = """
        (SELECT * FROM retention_policies WHERE id = 'default' ORDER BY version DESC LIMIT 1) r
        """
    private static let policyColumns =
        "r.id, r.version, r.keep_months, r.download_months, r.grace_days, r.auto_approve_max, r.four_eyes"

    private static func first(_ rows: PostgresRowSequence) async throws -> Portfolio? {
        for try await columns in rows.decode(Columns.self) { return portfolio(columns) }
        return nil
    }

    /// id, trainee_id, completed_at, created_at and the policy's columns, as both queries read them.
    private typealias Columns = (UUID, UUID, String?, Date, String, Int, Int, Int, Int, Int, Bool)

    private static func portfolio(_ columns: Columns) -> Portfolio {
        let (id, trainee, completed, created, policyID, version, keep, download, grace, autoApprove, fourEyes) = columns
        return Portfolio(
            id: Portfolio.ID(id),
            traineeID: PersonID(trainee),
            completedAt: completed.flatMap(CalendarDate.init),
            policy: RetentionPolicyRepository.policy((policyID, version, keep, download, grace, autoApprove, fourEyes)),
            createdAt: created
        )
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
