import Foundation
import PostgresNIO

/// SQL for who is asked to answer an evaluation, their links, and their responses as stored.
extension EvaluationRepository {
    /// Adds respondents to an evaluation that exists; anyone already asked stays as they were.
    func add(
        assignments people: [PersonID],
        to evaluation: Evaluation.ID,
        on connection: PostgresConnection
    )
        async throws
    {
        try await connection.query(
            """
            INSERT INTO evaluation_assignments (evaluation_id, person_id)
            SELECT \(evaluation.uuid), unnest(\(people.map(\.uuid))::uuid[])
            ON CONFLICT (evaluation_id, person_id) DO NOTHING
            """,
            logger: PersonRepository.logger
        )
    }

    /// Whether `person` was asked to answer, and the day they did.
    func assignment(
        _ evaluation: Evaluation.ID,
        person: PersonID,
        on connection: PostgresConnection
    ) async throws -> (assigned: Bool, answeredOn: String?) {
        let rows = try await connection.query(
            """
            SELECT answered_on::text FROM evaluation_assignments
            WHERE evaluation_id = \(evaluation.uuid) AND person_id = \(person.uuid)
            """,
            logger: PersonRepository.logger
        )
        for try await answeredOn in rows.decode(String?.self) { return (true, answeredOn) }
        return (false, nil)
    }

    /// Marks the assignment answered on `day`, once: the row lock makes a second, concurrent
    /// submission wait and then find it answered.
    func markAnswered(
        _ evaluation: Evaluation.ID,
        person: PersonID,
        on day: CalendarDate,
        connection: PostgresConnection
    ) async throws -> Bool {
        let rows = try await connection.query(
            """
            UPDATE evaluation_assignments SET answered_on = \(day.description)::date
            WHERE evaluation_id = \(evaluation.uuid) AND person_id = \(person.uuid) AND answered_on IS NULL
            RETURNING 1
            """,
            logger: PersonRepository.logger
        ).collect()
        return !rows.isEmpty
    }

    /// Stores the hash of a new personal link for the assignment, replacing any earlier one.
    func setLink(
        _ hash: [UInt8],
        for evaluation: Evaluation.ID,
        person: PersonID,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            UPDATE evaluation_assignments SET link_hash = \(ByteBuffer(bytes: hash))
            WHERE evaluation_id = \(evaluation.uuid) AND person_id = \(person.uuid)
            """,
            logger: PersonRepository.logger
        )
    }

    /// The assignment a link answers, and whether it has been answered.
    func assignment(
        linkHash hash: [UInt8],
        on connection: PostgresConnection
    ) async throws -> (evaluation: Evaluation.ID, person: PersonID, answered: Bool)? {
        let rows = try await connection.query(
            """
            SELECT evaluation_id, person_id, answered_on IS NOT NULL FROM evaluation_assignments
            WHERE link_hash = \(ByteBuffer(bytes: hash))
            """,
            logger: PersonRepository.logger
        )
        for try await (evaluation, person, answered) in rows.decode((UUID, UUID, Bool).self) {
            return (Evaluation.ID(evaluation), PersonID(person), answered)
        }
        return nil
    }

    /// A sealed anonymous response, under a random (not time-ordered) id.
    func insert(sealed: Data, into evaluation: Evaluation.ID, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO evaluation_inbox (id, evaluation_id, sealed)
            VALUES (\(UUID()), \(evaluation.uuid), \(ByteBuffer(bytes: sealed)))
            """,
            logger: PersonRepository.logger
        )
    }

    func insertNamed(
        _ answers: [String: JSONValue],
        of person: PersonID,
        to evaluation: Evaluation.ID,
        on day: CalendarDate,
        connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO evaluation_named_responses (evaluation_id, person_id, answers, submitted_on)
            VALUES (\(evaluation.uuid), \(person.uuid), \(JSONValue.object(answers).jsonText)::jsonb,
                    \(day.description)::date)
            """,
            logger: PersonRepository.logger
        )
        try await connection.query(
            "UPDATE evaluations SET responses = responses + 1 WHERE id = \(evaluation.uuid)",
            logger: PersonRepository.logger
        )
    }

    /// The caller's assignments, newest evaluation first, with the day each was answered.
    func assignments(
        of person: PersonID,
        page: PageRequest,
        on connection: PostgresConnection
    ) async throws -> [(Evaluation, answeredOn: CalendarDate?)] {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.columns), a.answered_on::text
            FROM evaluation_assignments a JOIN evaluations e ON e.id = a.evaluation_id
            WHERE a.person_id = \(person.uuid) AND (\(page.after)::uuid IS NULL OR e.id < \(page.after))
            ORDER BY e.id DESC
            LIMIT \(page.limit + 1)
            """,
            logger: PersonRepository.logger
        )
        var result: [(Evaluation, CalendarDate?)] = []
        for try await row in rows {
            let evaluation = try Self.evaluation(row)
            let answered = try PostgresRandomAccessRow(row)[19].decode(String?.self, context: .default)
            result.append((evaluation, answered.flatMap(CalendarDate.init)))
        }
        return result
    }

    /// Invited and responded; an anonymous evaluation's responses still in the inbox count here.
    func rate(
        _ evaluation: Evaluation.ID,
        on connection: PostgresConnection
    ) async throws -> (invited: Int, responded: Int) {
        let rows = try await connection.query(
            """
            SELECT count(*)::int, count(answered_on)::int FROM evaluation_assignments
            WHERE evaluation_id = \(evaluation.uuid)
            """,
            logger: PersonRepository.logger
        )
        for try await (invited, responded) in rows.decode((Int, Int).self) { return (invited, responded) }
        return (0, 0)
    }

    /// Unanswered assignments of open evaluations that close within `window`, while they are below
    /// their threshold or their target rate: what `EvaluationReminders` gives the digest job.
    func unansweredNearClose(
        now: Date,
        within window: TimeInterval,
        on connection: PostgresConnection
    ) async throws -> [EvaluationReminders.Reminder] {
        let rows = try await connection.query(
            """
            WITH progress AS (
                SELECT e.id, e.closes_at, e.min_responses, e.target_rate,
                       count(*) AS invited, count(a.answered_on) AS responded
                FROM evaluations e JOIN evaluation_assignments a ON a.evaluation_id = e.id
                WHERE e.opens_at <= \(now) AND e.closes_at > \(now)
                  AND e.closes_at <= \(now.addingTimeInterval(window))
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
        var reminders: [EvaluationReminders.Reminder] = []
        for try await (person, evaluation, closes) in rows.decode((UUID, UUID, Date).self) {
            reminders.append(
                EvaluationReminders.Reminder(person: PersonID(person), evaluation: .init(evaluation), closesAt: closes)
            )
        }
        return reminders
    }
}
