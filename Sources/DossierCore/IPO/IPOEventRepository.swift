import Foundation
import PostgresNIO

/// What happened to seats, for the digest mail to announce once: identifiers and the recorded
/// reason, nothing else about the people involved.
struct IPOEventRepository: Sendable {
    enum Kind: String, Sendable {
        case promoted
        case activityCancelled = "activity_cancelled"
        case seatFreed = "seat_freed"
        case movedToWaitlist = "moved_to_waitlist"
    }

    func record(
        _ kind: Kind,
        activity: IPOActivity.ID,
        person: PersonID? = nil,
        detail: String,
        at now: Date,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO ipo_events (id, occurred_at, kind, activity_id, person_id, detail)
            VALUES (\(Identifier<IPOEventRepository>.generate().uuid), \(now), \(kind.rawValue), \(activity.uuid), \(person?.uuid), \(String(detail.prefix(2_500))))
            """,
            logger: PersonRepository.logger
        )
    }
}
