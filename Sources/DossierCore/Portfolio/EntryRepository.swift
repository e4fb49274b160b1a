import Foundation
import PostgresNIO

/// SQL for entries and their comments.
public struct EntryRepository: Sendable {
    public init() {}

    public func insert(_ entry: Entry, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO entries (id, portfolio_id, kind, title, body, tags, activities, shared, created_at, updated_at)
            VALUES (\(entry.id.uuid), \(entry.portfolioID.uuid), \(entry.kind.rawValue), \(entry.title), \(entry.body),
                    \(entry.tags), \(entry.activities), \(entry.shared), \(entry.createdAt), \(entry.updatedAt))
            """,
            logger: PersonRepository.logger
        )
    }

    public func insert(_ comment: Entry.Comment, on entry: Entry.ID, connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO entry_comments (id, entry_id, author_id, body, created_at)
            VALUES (\(comment.id.uuid), \(entry.uuid), \(comment.authorID.uuid), \(comment.body), \(comment.createdAt))
            """,
            logger: PersonRepository.logger
        )
    }

    /// Writes the changed fields if the entry's version is still `expectedVersion`; false when stale.
    public func update(
        _ id: Entry.ID,
        kind: Entry.Kind,
        title: String,
        input: EntryRules.Input,
        expectedVersion: Int,
        at now: Date,
        on connection: PostgresConnection
    ) async throws -> Bool {
        let rows = try await connection.query(
            """
            UPDATE entries SET kind = \(kind.rawValue), title = \(title), body = \(input.body), tags = \(input.tags),
                activities = \(input.activities), shared = \(input.shared), version = version + 1, updated_at = \(now)
            WHERE id = \(id.uuid) AND version = \(expectedVersion)
            RETURNING id
            """,
            logger: PersonRepository.logger
        ).collect()
        return !rows.isEmpty
    }

    public func find(_ id: Entry.ID, on connection: PostgresConnection) async throws -> Entry? {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.columns) FROM entries e WHERE e.id = \(id.uuid)
            """,
            logger: PersonRepository.logger
        )
        return try await Self.entries(rows).first
    }

    /// A page of a portfolio's entries in creation order; `sharedOnly` for supervisors.
    public func list(
        portfolio: Portfolio.ID,
        sharedOnly: Bool,
        page: PageRequest,
        on connection: PostgresConnection
    ) async throws -> [Entry] {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.columns) FROM entries e
            WHERE e.portfolio_id = \(portfolio.uuid) AND (NOT \(sharedOnly) OR e.shared)
              AND (\(page.after)::uuid IS NULL OR e.id > \(page.after))
            ORDER BY e.id
            LIMIT \(page.limit + 1)
            """,
            logger: PersonRepository.logger
        )
        return try await Self.entries(rows)
    }

    private static let columns = """
        e.id, e.portfolio_id, e.kind, e.title, e.body, e.tags, e.activities, e.shared, e.version::int, e.created_at,
        e.updated_at,
        coalesce((SELECT jsonb_agg(jsonb_build_object('id', c.id, 'author_id', c.author_id, 'body', c.body,
                                                      'created_at', to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
                                 ORDER BY c.id)
                  FROM entry_comments c WHERE c.entry_id = e.id)::text, '[]')
        """

    private struct CommentRow: Decodable {
        let id: UUID
        let author_id: UUID
        let body: String
        let created_at: Date
    }

    private static func entries(_ rows: PostgresRowSequence) async throws -> [Entry] {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            return try Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        }
        var entries: [Entry] = []
        for try await (id, portfolio, kind, title, body, tags, activities, shared, version, created, updated, comments)
            in rows.decode(
                (UUID, UUID, String, String, String, [String], [String], Bool, Int, Date, Date, String).self
            )
        {
            let parsed = try decoder.decode([CommentRow].self, from: Data(comments.utf8))
            entries.append(
                Entry(
                    id: Entry.ID(id),
                    portfolioID: Portfolio.ID(portfolio),
                    kind: Entry.Kind(rawValue: kind) ?? .other,
                    title: title,
                    body: body,
                    tags: tags,
                    activities: activities,
                    shared: shared,
                    comments: parsed.map {
                        Entry.Comment(
                            id: .init($0.id),
                            authorID: PersonID($0.author_id),
                            body: $0.body,
                            createdAt: $0.created_at
                        )
                    },
                    version: version,
                    createdAt: created,
                    updatedAt: updated
                )
            )
        }
        return entries
    }
}
