import Foundation
import PostgresNIO

/// Who the digest mail reminds: assignments still unanswered within `window` of their
/// evaluation's close, and only while the evaluation is below its threshold, or below the
/// target rate its coordinator set. The list goes to the mail job only: no report reader ever
/// learns who has or has not answered an anonymous evaluation.
public struct EvaluationReminders: Sendable {
    public struct Reminder: Sendable, Equatable {
        public let person: PersonID
        public let evaluation: Evaluation.ID
        public let closesAt: Date
    }

    public static let window: TimeInterval = 3 * 86_400

    private let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func due(at now: Date) async throws -> [Reminder] {
        try await database.read { connection in
            let rows = try await connection.query(
                """
                WITH progress AS (
                    SELECT e.id, e.closes_at, e.min_responses, e.target_rate,
                           count(*) AS invited, count(a.answered_on) AS responded
                    FROM evaluations e JOIN evaluation_assignments a ON a.evaluation_id = e.id
                    WHERE e.opens_at <= \(now) AND e.closes_at > \(now)
                      AND e.closes_at <= \(now.addingTimeInterval(Self.window))
                    GROUP BY e.id
                )
                SELECT a.person_id, p.id, p.closes_at
                FROM progress p JOIN evaluation_assignments a ON a.evaluation_id = p.id AND a.answered_on IS NULL
                WHERE p.responded < p.min_responses
                   OR (p.target_rate IS NOT NULL AND p.responded * 100 < p.target_rate * p.invited)
                ORDER BY a.person_id, p.id
                """,
                logger: PersonRepository.logger
            )
            var reminders: [Reminder] = []
            for try await (person, evaluation, closes) in rows.decode((UUID, UUID, Date).self) {
                reminders.append(Reminder(person: PersonID(person), evaluation: .init(evaluation), closesAt: closes))
            }
            return reminders
        }
    }
}
