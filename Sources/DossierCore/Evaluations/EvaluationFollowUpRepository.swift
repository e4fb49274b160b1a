import Foundation
import PostgresNIO

/// SQL for follow-ups.
struct EvaluationFollowUpRepository: Sendable {
    func insert(_ followUp: EvaluationFollowUp, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO evaluation_follow_ups (id, evaluation_id, body, author_id, published_at)
            VALUES (\(followUp.id.uuid), \(followUp.evaluationID.uuid), \(followUp.body), \(followUp.authorID?.uuid),
                    \(followUp.publishedAt))
            """,
            logger: PersonRepository.logger
        )
    }

    /// An evaluation's follow-ups, oldest first.
    func list(_ evaluation: Evaluation.ID, on connection: PostgresConnection) async throws -> [EvaluationFollowUp] {
        let rows = try await connection.query(
            """
            SELECT id, body, author_id, published_at FROM evaluation_follow_ups
            WHERE evaluation_id = \(evaluation.uuid) ORDER BY id
            """,
            logger: PersonRepository.logger
        )
        var followUps: [EvaluationFollowUp] = []
        for try await (id, body, author, published) in rows.decode((UUID, String, UUID?, Date).self) {
            followUps.append(
                EvaluationFollowUp(
                    id: .init(id),
                    evaluationID: evaluation,
                    body: body,
                    authorID: author.map(PersonID.init),
                    publishedAt: published
                )
            )
        }
        return followUps
    }
}
