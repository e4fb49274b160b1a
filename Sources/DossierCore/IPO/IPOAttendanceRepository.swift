import Foundation
import PostgresNIO

/// SQL for attendance marks, one per enrolled trainee and session.
struct IPOAttendanceRepository: Sendable {
    struct Mark: Sendable, Equatable {
        let personID: PersonID
        let enrollmentID: IPOEnrollment.ID
        let attended: Bool
        let recordedAt: Date
    }

    /// Records or corrects the marks, all in one statement.
    func upsert(
        _ marks: [(enrollment: IPOEnrollment.ID, attended: Bool)],
        session: IPOActivity.Session.ID,
        by recorder: PersonID?,
        at now: Date,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO ipo_attendance (session_id, enrollment_id, attended, recorded_by, recorded_at)
            SELECT \(session.uuid), e, a, \(recorder?.uuid), \(now)
            FROM unnest(\(marks.map(\.enrollment.uuid))::uuid[], \(marks.map(\.attended))::boolean[]) AS m (e, a)
            ON CONFLICT (session_id, enrollment_id)
            DO UPDATE SET attended = EXCLUDED.attended, recorded_by = EXCLUDED.recorded_by, recorded_at = EXCLUDED.recorded_at
            """,
            logger: PersonRepository.logger
        )
    }

    func marks(of session: IPOActivity.Session.ID, on connection: PostgresConnection) async throws -> [Mark] {
        let rows = try await connection.query(
            """
            SELECT e.person_id, t.enrollment_id, t.attended, t.recorded_at
            FROM ipo_attendance t JOIN ipo_enrollments e ON e.id = t.enrollment_id
            WHERE t.session_id = \(session.uuid)
            ORDER BY e.person_id
            """,
            logger: PersonRepository.logger
        )
        var marks: [Mark] = []
        for try await (person, enrollment, attended, at) in rows.decode((UUID, UUID, Bool, Date).self) {
            marks.append(
                Mark(personID: .init(person), enrollmentID: .init(enrollment), attended: attended, recordedAt: at)
            )
        }
        return marks
    }

    /// People by e-mail address (case-insensitive), for a sign-in list that names them so.
    func people(emails: [String], on connection: PostgresConnection) async throws -> [String: PersonID] {
        let rows = try await connection.query(
            "SELECT lower(email), id FROM people WHERE lower(email) = ANY(\(emails.map { $0.lowercased() })::text[])",
            logger: PersonRepository.logger
        )
        var found: [String: PersonID] = [:]
        for try await (email, id) in rows.decode((String, UUID).self) { found[email] = PersonID(id) }
        return found
    }

    func existing(_ people: [PersonID], on connection: PostgresConnection) async throws -> Set<PersonID> {
        let rows = try await connection.query(
            "SELECT id FROM people WHERE id = ANY(\(people.map(\.uuid))::uuid[])",
            logger: PersonRepository.logger
        )
        var found: Set<PersonID> = []
        for try await id in rows.decode(UUID.self) { found.insert(PersonID(id)) }
        return found
    }
}
