import Foundation
import PostgresNIO

/// SQL of the fold: the sealed inbox of anonymous responses into counters and free texts.
struct EvaluationInboxRepository: Sendable {
    /// Evaluations whose inbox holds their threshold, or that have closed with anything in it.
    func due(at now: Date, on connection: PostgresConnection) async throws -> [Evaluation.ID] {
        let rows = try await connection.query(
            """
            SELECT e.id FROM evaluations e JOIN evaluation_inbox i ON i.evaluation_id = e.id
            GROUP BY e.id
            HAVING count(*) >= min(e.min_responses) OR min(e.closes_at) <= \(now)
            ORDER BY e.id
            """,
            logger: PersonRepository.logger
        )
        var ids: [Evaluation.ID] = []
        for try await id in rows.decode(UUID.self) { ids.append(.init(id)) }
        return ids
    }

    /// Locks the evaluation, so two workers never fold one inbox twice, and reads its inbox.
    func lockedInbox(
        _ evaluation: Evaluation.ID,
        on connection: PostgresConnection
    ) async throws -> [(id: UUID, sealed: Data)] {
        try await connection.query(
            "SELECT 1 FROM evaluations WHERE id = \(evaluation.uuid) FOR UPDATE",
            logger: PersonRepository.logger
        )
        let rows = try await connection.query(
            "SELECT id, sealed FROM evaluation_inbox WHERE evaluation_id = \(evaluation.uuid) FOR UPDATE",
            logger: PersonRepository.logger
        )
        var inbox: [(UUID, Data)] = []
        for try await (id, sealed) in rows.decode((UUID, ByteBuffer).self) {
            inbox.append((id, Data(buffer: sealed)))
        }
        return inbox
    }

    /// Adds a batch's counts in key order and its texts in the (shuffled) order given, under new
    /// random ids, then deletes the batch's inbox rows.
    func fold(
        _ evaluation: Evaluation.ID,
        counts: [EvaluationCounter: Int],
        texts: [EvaluationText],
        responses: Int,
        inbox: [UUID],
        on connection: PostgresConnection
    ) async throws {
        let keys = counts.keys.sorted()
        try await connection.query(
            """
            UPDATE evaluation_counts c SET count = c.count + d.delta
            FROM unnest(\(keys.map(\.questionID))::text[], \(keys.map(\.item))::text[], \(keys.map(\.value))::text[],
                        \(keys.map { counts[$0] ?? 0 })::int[]) AS d (question_id, item, value, delta)
            WHERE c.evaluation_id = \(evaluation.uuid) AND c.question_id = d.question_id AND c.item = d.item
              AND c.value = d.value
            """,
            logger: PersonRepository.logger
        )
        try await connection.query(
            """
            INSERT INTO evaluation_texts (id, evaluation_id, question_id, body, shown_if_alone)
            SELECT id, \(evaluation.uuid), question_id, body, alone
            FROM unnest(\(texts.map { _ in UUID() })::uuid[], \(texts.map(\.questionID))::text[],
                        \(texts.map(\.body))::text[], \(texts.map(\.shownIfAlone))::bool[])
                 WITH ORDINALITY AS t (id, question_id, body, alone, position)
            ORDER BY position
            """,
            logger: PersonRepository.logger
        )
        try await connection.query(
            "DELETE FROM evaluation_inbox WHERE id = ANY(\(inbox)::uuid[])",
            logger: PersonRepository.logger
        )
        try await connection.query(
            "UPDATE evaluations SET responses = responses + \(responses) WHERE id = \(evaluation.uuid)",
            logger: PersonRepository.logger
        )
    }
}
