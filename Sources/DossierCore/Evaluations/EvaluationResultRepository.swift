import Foundation
import PostgresNIO

/// SQL for what reports read: counters, free texts, named answers.
extension EvaluationRepository {
    func counts(_ evaluation: Evaluation.ID, on connection: PostgresConnection) async throws -> [EvaluationCounter: Int]
    {
        let rows = try await connection.query(
            "SELECT question_id, item, value, count FROM evaluation_counts WHERE evaluation_id = \(evaluation.uuid)",
            logger: PersonRepository.logger
        )
        var counts: [EvaluationCounter: Int] = [:]
        for try await (question, item, value, count) in rows.decode((String, String, String, Int).self) {
            counts[EvaluationCounter(question, item: item, value: value)] = count
        }
        return counts
    }

    /// The free texts in id order, which is random: they were stored under UUIDv4s.
    func texts(_ evaluation: Evaluation.ID, on connection: PostgresConnection) async throws -> [EvaluationText] {
        let rows = try await connection.query(
            """
            SELECT question_id, body, shown_if_alone FROM evaluation_texts
            WHERE evaluation_id = \(evaluation.uuid) ORDER BY id
            """,
            logger: PersonRepository.logger
        )
        var texts: [EvaluationText] = []
        for try await (question, body, alone) in rows.decode((String, String, Bool).self) {
            texts.append(EvaluationText(questionID: question, body: body, shownIfAlone: alone))
        }
        return texts
    }

    /// A named evaluation's responses with their respondent and the respondent's site.
    func namedAnswers(
        _ evaluation: Evaluation.ID,
        on connection: PostgresConnection
    ) async throws -> [(person: PersonID, site: String?, answers: [String: JSONValue])] {
        let rows = try await connection.query(
            """
            SELECT r.person_id, tp.site, r.answers::text FROM evaluation_named_responses r
            LEFT JOIN trainee_profiles tp ON tp.person_id = r.person_id
            WHERE r.evaluation_id = \(evaluation.uuid)
            ORDER BY r.person_id
            """,
            logger: PersonRepository.logger
        )
        var answers: [(PersonID, String?, [String: JSONValue])] = []
        for try await (person, site, text) in rows.decode((UUID, String?, String).self) {
            guard case .object(let object) = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else {
                continue
            }
            answers.append((PersonID(person), site, object))
        }
        return answers
    }
}
