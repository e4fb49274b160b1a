import Foundation
import PostgresNIO

/// SQL for supervisions. Overlaps are refused by the `supervisions_no_overlap` exclusion constraint.
public struct SupervisionRepository: Sendable {
    public init() {}

    public func insert(_ supervision: Supervision, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO supervisions (id, kind, supervisor_id, trainee_id, valid_from, valid_until, created_at, updated_at)
            VALUES (\(supervision.id.uuid), \(supervision.kind.rawValue), \(supervision.supervisorID.uuid),
                    \(supervision.traineeID.uuid), \(supervision.validFrom.description)::date,
                    \(supervision.validUntil?.description)::date, \(supervision.createdAt), \(supervision.updatedAt))
            """,
            logger: PersonRepository.logger
        )
    }

    /// How `supervisor` stands to `trainee` on `day`: the first current supervision kind, if any.
    public func currentKind(
        of supervisor: PersonID,
        over trainee: PersonID,
        on day: CalendarDate,
        connection: PostgresConnection
    ) async throws -> SupervisionKind? {
        let rows = try await connection.query(
            """
            SELECT kind FROM supervisions
            WHERE supervisor_id = \(supervisor.uuid) AND trainee_id = \(trainee.uuid)
              AND daterange(valid_from, valid_until, '[]') @> \(day.description)::date
            ORDER BY kind LIMIT 1
            """,
            logger: PersonRepository.logger
        )
        for try await kind in rows.decode(String.self) { return SupervisionKind(rawValue: kind) }
        return nil
    }

    /// Supervisions in id order; `supervisor` or `trainee` narrow the list (for callers who may see only their own).
    public func list(
        supervisor: PersonID?,
        trainee: PersonID?,
        activeOn day: CalendarDate?,
        updatedSince: Date?,
        page: PageRequest,
        on connection: PostgresConnection
    ) async throws -> [Supervision] {
        var supervisions: [Supervision] = []
        let rows = try await connection.query(
            """
            SELECT id, kind, supervisor_id, trainee_id, valid_from::text, valid_until::text, created_at, updated_at
            FROM supervisions
            WHERE (\(page.after)::uuid IS NULL OR id > \(page.after))
              AND (\(supervisor?.uuid)::uuid IS NULL OR supervisor_id = \(supervisor?.uuid))
              AND (\(trainee?.uuid)::uuid IS NULL OR trainee_id = \(trainee?.uuid))
              AND (\(day?.description)::date IS NULL OR daterange(valid_from, valid_until, '[]') @> \(day?.description)::date)
              AND (\(updatedSince)::timestamptz IS NULL OR updated_at >= \(updatedSince))
            ORDER BY id
            LIMIT \(page.limit + 1)
            """,
            logger: PersonRepository.logger
        )
        for try await (id, kind, supervisor, trainee, from, until, created, updated) in rows.decode(
            (UUID, String, UUID, UUID, String, String?, Date, Date).self
        ) {
            guard let kind = SupervisionKind(rawValue: kind), let from = CalendarDate(from) else { continue }
            supervisions.append(
                Supervision(
                    id: SupervisionID(id),
                    kind: kind,
                    supervisorID: PersonID(supervisor),
                    traineeID: PersonID(trainee),
                    validFrom: from,
                    validUntil: until.flatMap(CalendarDate.init),
                    createdAt: created,
                    updatedAt: updated
                )
            )
        }
        return supervisions
    }
}
