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
                send_time = EXCLUDED.send_time, time_zone = EXCLUDED.time_zone, updated_at = EXCLUDED.updated_at
            """,
            logger: PersonRepository.logger
        )
    }
}
