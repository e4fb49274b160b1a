import Foundation
import PostgresNIO

/// SQL for forms and their versions.
public struct FormRepository: Sendable {
    public init() {}

    public func insert(
        key: String,
        title: String,
        purpose: Form.Purpose,
        at now: Date,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO forms (key, title, purpose, created_at, updated_at)
            VALUES (\(key), \(title), \(purpose.rawValue), \(now), \(now))
            """,
            logger: PersonRepository.logger
        )
    }

    public func list(
        purpose: Form.Purpose?,
        key: String? = nil,
        on connection: PostgresConnection
    ) async throws -> [Form] {
        let rows = try await connection.query(
            """
            SELECT f.key, f.title, f.purpose, f.created_at, f.updated_at,
                   (SELECT v.version FROM form_versions v WHERE v.form_key = f.key AND v.status = 'production'),
                   (SELECT max(v.version) FROM form_versions v WHERE v.form_key = f.key)
            FROM forms f
            WHERE (\(purpose?.rawValue)::text IS NULL OR f.purpose = \(purpose?.rawValue))
              AND (\(key)::text IS NULL OR f.key = \(key))
            ORDER BY f.key
            """,
            logger: PersonRepository.logger
        )
        var forms: [Form] = []
        for try await (key, title, purpose, created, updated, production, latest) in rows.decode(
            (String, String, String, Date, Date, Int?, Int?).self
        ) {
            guard let purpose = Form.Purpose(rawValue: purpose) else { continue }
            forms.append(
                Form(
                    key: key,
                    title: title,
                    purpose: purpose,
                    productionVersion: production,
                    latestVersion: latest,
                    createdAt: created,
                    updatedAt: updated
                )
            )
        }
        return forms
    }

    /// The form, its row locked until the transaction ends, so version numbers and the single
    /// production version are decided one writer at a time.
    public func lock(_ key: String, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            "SELECT key FROM forms WHERE key = \(key) FOR UPDATE",
            logger: PersonRepository.logger
        ).collect()
        return !rows.isEmpty
    }

    /// Adds the next version of `key` as a draft and returns its number.
    public func insertDraft(
        of key: String,
        definition: FormDefinition,
        notes: String?,
        by author: PersonID?,
        at now: Date,
        on connection: PostgresConnection
    ) async throws -> Int {
        let rows = try await connection.query(
            """
            INSERT INTO form_versions (form_key, version, status, definition, notes, created_by, created_at, updated_at)
            SELECT \(key), coalesce(max(version), 0) + 1, 'draft', \(Self.json(definition))::jsonb, \(notes),
                   \(author?.uuid), \(now), \(now)
            FROM form_versions WHERE form_key = \(key)
            RETURNING version
            """,
            logger: PersonRepository.logger
        )
        for try await version in rows.decode(Int.self) { return version }
        throw DossierError.notFound("form")
    }

    public func versions(
        of key: String,
        version: Int? = nil,
        on connection: PostgresConnection
    ) async throws -> [FormVersion] {
        let rows = try await connection.query(
            """
            SELECT v.form_key, v.version, v.status, v.definition::text, v.example, v.notes, v.revision::int,
                   v.created_at, v.updated_at,
                   ((SELECT count(*) FROM assessments a WHERE a.form_key = v.form_key AND a.form_version = v.version)
                    + (SELECT count(*) FROM progress_records p WHERE p.form_key = v.form_key AND p.form_version = v.version))::int
            FROM form_versions v
            WHERE v.form_key = \(key) AND (\(version)::int IS NULL OR v.version = \(version))
            ORDER BY v.version DESC
            """,
            logger: PersonRepository.logger
        )
        var versions: [FormVersion] = []
        let decoder = JSONDecoder()
        for try await (key, number, status, definition, example, notes, revision, created, updated, responses)
            in rows.decode((String, Int, String, String, Bool, String?, Int, Date, Date, Int).self)
        {
            guard let status = FormVersion.Status(rawValue: status) else { continue }
            versions.append(
                FormVersion(
                    formKey: key,
                    version: number,
                    status: status,
                    definition: try decoder.decode(FormDefinition.self, from: Data(definition.utf8)),
                    example: example,
                    notes: notes,
                    responseCount: responses,
                    revision: revision,
                    createdAt: created,
                    updatedAt: updated
                )
            )
        }
        return versions
    }

    public func version(_ key: String, _ version: Int, on connection: PostgresConnection) async throws -> FormVersion? {
        try await versions(of: key, version: version, on: connection).first
    }

    /// Replaces a draft's definition and notes if its revision is still `expectedRevision`.
    public func updateDraft(
        _ key: String,
        _ version: Int,
        definition: FormDefinition,
        notes: String?,
        expectedRevision: Int,
        at now: Date,
        on connection: PostgresConnection
    ) async throws -> Bool {
        let rows = try await connection.query(
            """
            UPDATE form_versions SET definition = \(Self.json(definition))::jsonb, notes = \(notes),
                revision = revision + 1, updated_at = \(now)
            WHERE form_key = \(key) AND version = \(version) AND status = 'draft' AND revision = \(expectedRevision)
            RETURNING version
            """,
            logger: PersonRepository.logger
        ).collect()
        return !rows.isEmpty
    }

    /// Moves a version to `status`; putting one into production first retires the one there.
    public func move(
        _ key: String,
        _ version: Int,
        to status: FormVersion.Status,
        at now: Date,
        on connection: PostgresConnection
    ) async throws {
        if status == .production {
            try await connection.query(
                """
                UPDATE form_versions SET status = 'retired', revision = revision + 1, updated_at = \(now)
                WHERE form_key = \(key) AND status = 'production'
                """,
                logger: PersonRepository.logger
            )
        }
        try await connection.query(
            """
            UPDATE form_versions SET status = \(status.rawValue), revision = revision + 1, updated_at = \(now)
            WHERE form_key = \(key) AND version = \(version)
            """,
            logger: PersonRepository.logger
        )
        try await connection.query(
            "UPDATE forms SET updated_at = \(now) WHERE key = \(key)",
            logger: PersonRepository.logger
        )
    }

    static func json(_ definition: FormDefinition) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(definition)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
