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
            SELECT \(unescaped: ListQuery.columns) FROM entries e WHERE e.id = \(id.uuid)
            """,
            logger: PersonRepository.logger
        )
        return try await Self.entries(rows.decode(ListQuery.Row.self)).first
    }

    /// A page of a portfolio's entries in creation order; `sharedOnly` for supervisors.
    public func list(
        portfolio: Portfolio.ID,
        sharedOnly: Bool,
        page: PageRequest,
        on connection: PostgresConnection
    ) async throws -> [Entry] {
        let rows = try await connection.execute(
            ListQuery(portfolio: portfolio.uuid, sharedOnly: sharedOnly, after: page.after, limit: page.limit + 1),
            logger: PersonRepository.logger
        )
        return try await Self.entries(rows)
    }

    /// Prepared once per connection; the first page starts after the nil UUID, so one plan
    /// serves every page as a range scan of `entries_portfolio`.
    private struct ListQuery: PostgresPreparedStatement {
        // Named by hand: PostgreSQL cuts a name at 63 bytes, where the default names of two private
        // statements of one file ("Module.Type.(unknown context at $...).") are still the same.
        static let name = "entry_page"
        static let columns = """
            e.id, e.portfolio_id, e.kind, e.title, e.body, e.tags, e.activities, e.shared, e.version::int, e.created_at,
            e.updated_at,
            coalesce((SELECT jsonb_agg(jsonb_build_object('id', c.id, 'author_id', c.author_id, 'body', c.body,
                                                          'created_at', to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
                                     ORDER BY c.id)
                      FROM entry_comments c WHERE c.entry_id = e.id)::text, '[]')
            """
        static let sql = """
            SELECT \(columns) FROM entries e
            WHERE e.portfolio_id = $1 AND (NOT $2 OR e.shared) AND e.id > $3
            ORDER BY e.id
            LIMIT $4
            """
        typealias Row = (UUID, UUID, String, String, String, [String], [String], Bool, Int, Date, Date, String)

        private static let beforeEveryID = UUID(uuidString: "00000000-0000-0000-0000-000000000000")!

        let portfolio: UUID
        let sharedOnly: Bool
        let after: UUID?
        let limit: Int

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 4)
            bindings.append(portfolio)
            bindings.append(sharedOnly)
            bindings.append(after ?? Self.beforeEveryID)
            bindings.append(limit)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    private struct CommentRow: Decodable {
        let id: UUID
        let author_id: UUID
        let body: String
        let created_at: String
    }

    private static func entries<Rows: AsyncSequence>(_ rows: Rows) async throws -> [Entry]
    where Rows.Element == ListQuery.Row {
        var entries: [Entry] = []
        for try await (id, portfolio, kind, title, body, tags, activities, shared, version, created, updated, comments)
            in rows
        {
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
                    comments: try Self.comments(comments),
                    version: version,
                    createdAt: created,
                    updatedAt: updated
                )
            )
        }
        return entries
    }

    /// Most entries have no comments: their `[]` is not worth a JSON decoder.
    private static func comments(_ json: String) throws -> [Entry.Comment] {
        guard json != "[]" else { return [] }
        return try JSONDecoder().decode([CommentRow].self, from: Data(json.utf8)).map {
            guard let createdAt = RFC3339.date(from: $0.created_at) else {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "comment created_at"))
            }
            return Entry.Comment(
                id: .init($0.id),
                authorID: PersonID($0.author_id),
                body: $0.body,
                createdAt: createdAt
            )
        }
    }

}
