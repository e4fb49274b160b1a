import Foundation
import PostgresNIO

/// SQL for attachments and their chunks.
public struct AttachmentRepository: Sendable {
    public init() {}

    /// The attachment row before its chunks; `finish` fills in size and checksums.
    public func begin(
        _ id: Attachment.ID,
        entry: Entry.ID,
        fileName: String,
        type: AttachmentType,
        by person: PersonID,
        at now: Date,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO attachments (id, entry_id, file_name, media_type, size, sha256, crc32, uploaded_by, created_at)
            VALUES (\(id.uuid), \(entry.uuid), \(fileName), \(type.rawValue), 0, \(ByteBuffer(repeating: 0, count: 32)), 0,
                    \(person.uuid), \(now))
            """,
            logger: PersonRepository.logger
        )
    }

    public func appendChunk(
        _ bytes: [UInt8],
        index: Int,
        to id: Attachment.ID,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO attachment_chunks (attachment_id, index, data) VALUES (\(id.uuid), \(index), \(ByteBuffer(bytes: bytes)))
            """,
            logger: PersonRepository.logger
        )
    }

    public func finish(
        _ id: Attachment.ID,
        size: Int,
        sha256: [UInt8],
        crc32: UInt32,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            UPDATE attachments SET size = \(size), sha256 = \(ByteBuffer(bytes: sha256)), crc32 = \(Int64(crc32))
            WHERE id = \(id.uuid)
            """,
            logger: PersonRepository.logger
        )
    }

    public func find(_ id: Attachment.ID, on connection: PostgresConnection) async throws -> Attachment? {
        let rows = try await connection.query(
            """
            SELECT id, entry_id, file_name, media_type, size, sha256, crc32, uploaded_by, created_at
            FROM attachments WHERE id = \(id.uuid)
            """,
            logger: PersonRepository.logger
        )
        return try await Self.attachments(rows).first
    }

    public func list(entry: Entry.ID, on connection: PostgresConnection) async throws -> [Attachment] {
        let rows = try await connection.query(
            """
            SELECT id, entry_id, file_name, media_type, size, sha256, crc32, uploaded_by, created_at
            FROM attachments WHERE entry_id = \(entry.uuid) ORDER BY id
            """,
            logger: PersonRepository.logger
        )
        return try await Self.attachments(rows)
    }

    /// Every attachment of a portfolio's entries (`sharedOnly` for anyone but the trainee).
    public func list(
        portfolio: Portfolio.ID,
        sharedOnly: Bool,
        on connection: PostgresConnection
    ) async throws -> [Attachment] {
        let rows = try await connection.query(
            """
            SELECT a.id, a.entry_id, a.file_name, a.media_type, a.size, a.sha256, a.crc32, a.uploaded_by, a.created_at
            FROM attachments a JOIN entries e ON e.id = a.entry_id
            WHERE e.portfolio_id = \(portfolio.uuid) AND (NOT \(sharedOnly) OR e.shared)
            ORDER BY a.id
            """,
            logger: PersonRepository.logger
        )
        return try await Self.attachments(rows)
    }

    public func chunk(_ index: Int, of id: Attachment.ID, on connection: PostgresConnection) async throws -> [UInt8]? {
        let rows = try await connection.query(
            "SELECT data FROM attachment_chunks WHERE attachment_id = \(id.uuid) AND index = \(index)",
            logger: PersonRepository.logger
        )
        for try await data in rows.decode(ByteBuffer.self) { return Array(buffer: data) }
        return nil
    }

    private static func attachments(_ rows: PostgresRowSequence) async throws -> [Attachment] {
        var attachments: [Attachment] = []
        for try await (id, entry, name, type, size, sha, crc, by, created) in rows.decode(
            (UUID, UUID, String, String, Int, ByteBuffer, Int64, UUID, Date).self
        ) {
            attachments.append(
                Attachment(
                    id: .init(id),
                    entryID: .init(entry),
                    fileName: name,
                    type: AttachmentType(rawValue: type) ?? .pdf,
                    size: size,
                    sha256: Array(buffer: sha),
                    crc32: UInt32(truncatingIfNeeded: crc),
                    uploadedBy: PersonID(by),
                    createdAt: created
                )
            )
        }
        return attachments
    }
}
