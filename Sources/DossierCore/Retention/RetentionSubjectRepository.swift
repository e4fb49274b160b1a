import Foundation
import PostgresNIO

/// SQL about the people and portfolios retention weighs and deletes: the subjects of a plan, the
/// row locks a disposal takes, and showing a hidden portfolio again.
public struct RetentionSubjectRepository: Sendable {
    public init() {}

    /// Every portfolio not yet disposed, with its trainee's completion date: what a plan weighs.
    /// National scale is ~4,000 rows, so the rule runs over them in Swift, in one place.
    public func subjects(on connection: PostgresConnection) async throws -> [RetentionSubject] {
        let rows = try await connection.query(
            """
            SELECT p.id, p.trainee_id, to_char(t.completed_at, 'YYYY-MM-DD'), p.hidden_at IS NOT NULL
            FROM portfolios p JOIN trainee_profiles t ON t.person_id = p.trainee_id
            WHERE p.disposed_at IS NULL
            ORDER BY p.id
            """,
            logger: PersonRepository.logger
        )
        var subjects: [RetentionSubject] = []
        for try await (id, trainee, completed, hidden) in rows.decode((UUID, UUID, String?, Bool).self) {
            subjects.append(
                RetentionSubject(
                    portfolioID: Portfolio.ID(id),
                    traineeID: PersonID(trainee),
                    completedAt: completed.flatMap(CalendarDate.init),
                    hidden: hidden
                )
            )
        }
        return subjects
    }

    /// Locks the trainee's person row first, as every other writer of a trainee does (people
    /// before trainee_profiles), so a purge and a completion correction cannot deadlock; false
    /// when someone else holds it.
    public func lockPerson(_ trainee: PersonID, on connection: PostgresConnection) async throws -> Bool {
        try await connection.query(
            "SELECT id FROM people WHERE id = \(trainee.uuid) FOR UPDATE SKIP LOCKED",
            logger: PersonRepository.logger
        ).hasRow()
    }

    /// Portfolios hidden in their grace period that the rule no longer lets go (a corrected
    /// completion date, a longer policy): visible again.
    public func unhide(_ portfolios: [Portfolio.ID], on connection: PostgresConnection) async throws {
        guard !portfolios.isEmpty else { return }
        try await connection.query(
            """
            UPDATE portfolios SET hidden_at = NULL
            WHERE id = ANY(\(portfolios.map(\.uuid))::uuid[]) AND hidden_at IS NOT NULL AND disposed_at IS NULL
            """,
            logger: PersonRepository.logger
        )
    }

    /// The subject of one portfolio, locked against a concurrent completion correction and against
    /// another replica deleting it (SKIP LOCKED: nil when someone else holds it, or it is gone).
    public func lockSubject(_ id: Portfolio.ID, on connection: PostgresConnection) async throws -> RetentionSubject? {
        let rows = try await connection.query(
            """
            SELECT p.id, p.trainee_id, to_char(t.completed_at, 'YYYY-MM-DD'), p.hidden_at IS NOT NULL
            FROM portfolios p JOIN trainee_profiles t ON t.person_id = p.trainee_id
            WHERE p.id = \(id.uuid) AND p.disposed_at IS NULL
            FOR UPDATE OF p, t SKIP LOCKED
            """,
            logger: PersonRepository.logger
        )
        for try await (id, trainee, completed, hidden) in rows.decode((UUID, UUID, String?, Bool).self) {
            return RetentionSubject(
                portfolioID: Portfolio.ID(id),
                traineeID: PersonID(trainee),
                completedAt: completed.flatMap(CalendarDate.init),
                hidden: hidden
            )
        }
        return nil
    }
}
