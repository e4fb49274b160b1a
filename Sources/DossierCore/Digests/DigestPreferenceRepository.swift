import Foundation
import PostgresNIO

struct DigestPreferenceRepository: Sendable {
    func find(_ person: PersonID, on connection: PostgresConnection) async throws -> DigestPreferences? {
        let rows = try await connection.query(
            """
            SELECT frequency, weekday::int, (extract(hour FROM send_time) * 60 + extract(minute FROM send_time))::int,
                   time_zone
            FROM digest_preferences WHERE person_id = \(person.uuid)
            """,
            logger: PersonRepository.logger
        )
        for try await (frequency, weekday, sendAt, zone) in rows.decode((String, Int?, Int, String).self) {
            return DigestPreferences(
                frequency: DigestPreferences.Frequency(rawValue: frequency) ?? .off,
                weekday: weekday,
                sendAt: sendAt,
                timeZone: zone,
                isDefault: false
            )
        }
        return nil
    }

    func save(
        _ preferences: DigestPreferences,
        of person: PersonID,
        at now: Date,
        on connection: PostgresConnection
    )
        async throws
    {
        try await connection.query(
            """
            INSERT INTO digest_preferences (person_id, frequency, weekday, send_time, time_zone, updated_at)
            VALUES (\(person.uuid), \(preferences.frequency.rawValue), \(preferences.weekday)::smallint,
                    \(preferences.sendTime)::time, \(preferences.timeZone), \(now))
            ON CONFLICT (person_id) DO UPDATE SET frequency = EXCLUDED.frequency, weekday = EXCLUDED.weekday,
                send_time = EXCLUDED.send_time, time_zone = EXCLUDED.time_zone, updated_at = EXCLUDED.updated_at,
                unsubscribed_at = CASE WHEN EXCLUDED.frequency = 'off' THEN digest_preferences.unsubscribed_at END
            """,
            logger: PersonRepository.logger
        )
    }

    /// Turns the digest off by the one-click link; the first unsubscribe's time is kept, so a
    /// second click changes nothing. Nil when the person is gone.
    func unsubscribe(
        _ person: PersonID,
        at now: Date,
        on connection: PostgresConnection
    ) async throws -> Date? {
        let rows = try await connection.query(
            """
            WITH person AS (SELECT id, roles FROM people WHERE id = \(person.uuid))
            INSERT INTO digest_preferences (person_id, frequency, weekday, send_time, time_zone, updated_at, unsubscribed_at)
            SELECT p.id, 'off', NULL, coalesce(d.send_time, '07:30'::time), coalesce(d.time_zone, 'Europe/Amsterdam'),
                   \(now), \(now)
            FROM person p LEFT JOIN digest_preferences d ON d.person_id = p.id
            ON CONFLICT (person_id) DO UPDATE SET
                frequency = 'off', weekday = NULL,
                updated_at = CASE WHEN digest_preferences.unsubscribed_at IS NULL THEN EXCLUDED.updated_at
                                  ELSE digest_preferences.updated_at END,
                unsubscribed_at = coalesce(digest_preferences.unsubscribed_at, EXCLUDED.unsubscribed_at)
            RETURNING unsubscribed_at
            """,
            logger: PersonRepository.logger
        )
        for try await at in rows.decode(Date.self) { return at }
        return nil
    }
}
