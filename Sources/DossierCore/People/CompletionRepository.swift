import Foundation
import PostgresNIO

/// The history of completions and their corrections.
public struct CompletionRepository: Sendable {
    public init() {}

    public func lastEvent(of trainee: PersonID, on connection: PostgresConnection) async throws -> UUID? {
        let rows = try await connection.query(
            """
            SELECT id FROM completion_events WHERE trainee_id = \(trainee.uuid)
            ORDER BY recorded_at DESC, id DESC LIMIT 1
            """,
            logger: PersonRepository.logger
        )
        for try await id in rows.decode(UUID.self) { return id }
        return nil
    }

    public func append(
        _ completion: CompletionRules.Completion,
        of trainee: PersonID,
        corrects previous: UUID?,
        by caller: Caller,
        at now: Date,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO completion_events (id, trainee_id, completed_at, outcome, reason, corrects, recorded_by, request_id, recorded_at)
            VALUES (\(UUID()), \(trainee.uuid), \(completion.date.description)::date, \(completion.outcome.rawValue),
                    \(completion.reason), \(previous), \(caller.personID?.uuid), \(caller.requestID), \(now))
            """,
            logger: PersonRepository.logger
        )
    }
}
