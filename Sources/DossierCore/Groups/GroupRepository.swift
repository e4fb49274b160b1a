import Foundation
import PostgresNIO

/// SQL for groups, their teachers and (through trainee profiles) their members.
public struct GroupRepository: Sendable {
    public init() {}

    public func insert(_ group: Group, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO groups (id, name, kind, training_year, site, created_at, updated_at)
            VALUES (\(group.id.uuid), \(group.name), \(group.kind.rawValue), \(group.trainingYear), \(group.site.rawValue),
                    \(group.createdAt), \(group.updatedAt))
            """,
            logger: PersonRepository.logger
        )
        try await connection.query(
            """
            INSERT INTO group_teachers (group_id, teacher_id)
            SELECT \(group.id.uuid), teacher FROM unnest(\(group.teacherIDs.map(\.uuid))::uuid[]) AS t(teacher)
            """,
            logger: PersonRepository.logger
        )
    }

    public func list(page: PageRequest, id: GroupID? = nil, on connection: PostgresConnection) async throws -> [Group] {
        var groups: [Group] = []
        let rows = try await connection.query(
            """
            SELECT g.id, g.name, g.kind, g.training_year::int, g.site, g.created_at, g.updated_at,
                   coalesce((SELECT array_agg(teacher_id ORDER BY teacher_id) FROM group_teachers WHERE group_id = g.id), '{}'),
                   coalesce((SELECT array_agg(person_id ORDER BY person_id) FROM trainee_profiles WHERE group_id = g.id), '{}')
            FROM groups g
            WHERE (\(page.after)::uuid IS NULL OR g.id > \(page.after))
              AND (\(id?.uuid)::uuid IS NULL OR g.id = \(id?.uuid))
            ORDER BY g.id
            LIMIT \(page.limit + 1)
            """,
            logger: PersonRepository.logger
        )
        for try await (id, name, kind, year, site, created, updated, teachers, members) in rows.decode(
            (UUID, String, String, Int, String, Date, Date, [UUID], [UUID]).self
        ) {
            guard let kind = Group.Kind(rawValue: kind), let site = Site(rawValue: site) else { continue }
            groups.append(
                Group(
                    id: GroupID(id),
                    name: name,
                    kind: kind,
                    trainingYear: year,
                    site: site,
                    teacherIDs: teachers.map(PersonID.init),
                    memberIDs: members.map(PersonID.init),
                    createdAt: created,
                    updatedAt: updated
                )
            )
        }
        return groups
    }
}
