import Crypto
import Foundation

/// Attachments: streamed in (checksummed, checked against their declared type, capped per kind)
/// inside one transaction so an aborted upload leaves nothing, and streamed out chunk by chunk.
public struct AttachmentService: Sendable {
    private let database: Database
    private let clock: any WallClock
    private let limits: AttachmentLimits
    private let attachments = AttachmentRepository()
    private let access = PortfolioAccess()

    /// How many bytes the type check looks at before accepting a file.
    static let sniffLength = 512

    public init(database: Database, clock: any WallClock, limits: AttachmentLimits) {
        self.database = database
        self.clock = clock
        self.limits = limits
    }

    public func upload<Bytes: AsyncSequence & Sendable>(
        to entryID: Entry.ID,
        fileName text: String,
        type: AttachmentType,
        declaredLength: Int?,
        body: Bytes,
        caller: Caller
    ) async throws -> Attachment where Bytes.Element == ArraySlice<UInt8> {
        let limit = limits.limit(for: type)
        if let declaredLength, declaredLength > limit { throw Self.tooLarge(type, limit) }
        guard let fileName = Attachment.sanitise(text).map(type.fileName) else {
            throw DossierError(
                .validation,
                slug: .invalidParameter,
                detail: "file_name must be a file name of 1-255 characters.",
                fieldErrors: [FieldError("#/query/file_name", "must be a file name of 1-255 characters")]
            )
        }
        guard let uploader = caller.personID else {
            throw DossierError.forbidden("Only the trainee uploads attachments.")
        }
        let now = clock.now()
        let id = Attachment.ID.generate()
        return try await database.transaction { connection in
            let (entry, grant) = try await access.entry(
                entryID,
                for: .createAttachment,
                caller: caller,
                now: now,
                on: connection
            )
            try grant.portfolio.requireActive(
                on: CalendarDate(now),
                refusing: "a completed portfolio takes no new files"
            )
            try await attachments.begin(
                id,
                entry: entry.id,
                fileName: fileName,
                type: type,
                by: uploader,
                at: now,
                on: connection
            )
            var sha = SHA256()
            var crc = CRC32()
            var size = 0
            var pending: [UInt8] = []
            var index = 0
            var checked = false
            pending.reserveCapacity(Attachment.chunkSize)
            for try await slice in body {
                size += slice.count
                guard size <= limit else { throw Self.tooLarge(type, limit) }
                sha.update(data: Data(slice))
                crc.update(slice)
                var rest = slice[...]
                while !rest.isEmpty {
                    let take = min(rest.count, Attachment.chunkSize - pending.count)
                    pending.append(contentsOf: rest.prefix(take))
                    rest = rest.dropFirst(take)
                    if !checked && pending.count >= Self.sniffLength {
                        try Self.check(type, pending)
                        checked = true
                    }
                    if pending.count == Attachment.chunkSize {
                        try await attachments.appendChunk(pending, index: index, to: id, on: connection)
                        pending.removeAll(keepingCapacity: true)
                        index += 1
                    }
                }
            }
            if !checked { try Self.check(type, pending) }
            if !pending.isEmpty { try await attachments.appendChunk(pending, index: index, to: id, on: connection) }
            guard size > 0 else { throw DossierError.validation([FieldError("/", "the file is empty")]) }
            // A body that ended early (the client went away) must not be stored as a shorter file.
            if let declaredLength, size != declaredLength {
                throw DossierError(
                    .badRequest,
                    slug: .incompleteBody,
                    detail:
                        "The upload ended after \(size) of the \(declaredLength) bytes announced; nothing was stored."
                )
            }
            let digest = Array(sha.finalize())
            try await attachments.finish(id, size: size, sha256: digest, crc32: crc.value, on: connection)
            return Attachment(
                id: id,
                entryID: entry.id,
                fileName: fileName,
                type: type,
                size: size,
                sha256: digest,
                crc32: crc.value,
                uploadedBy: uploader,
                createdAt: now
            )
        }
    }

    public func list(entry entryID: Entry.ID, caller: Caller) async throws -> [Attachment] {
        let now = clock.now()
        return try await database.transaction { connection in
            let (entry, grant) = try await access.entry(
                entryID,
                for: .listAttachments,
                caller: caller,
                now: now,
                on: connection
            )
            let files = try await attachments.list(entry: entry.id, on: connection)
            try await grant.log(.read, "attachments", id: files.first?.id.uuid ?? entry.id.uuid, on: connection)
            return files
        }
    }

    /// The attachment's metadata after the access check; the access-log row is committed before
    /// the first byte of the content is sent, and no transaction stays open while it streams.
    public func open(_ id: Attachment.ID, caller: Caller) async throws -> Attachment {
        let now = clock.now()
        return try await database.transaction { connection in
            guard let attachment = try await attachments.find(id, on: connection) else {
                throw DossierError.notFound("attachment")
            }
            let (_, grant) = try await access.entry(
                attachment.entryID,
                for: .getAttachmentContent,
                caller: caller,
                now: now,
                on: connection
            )
            try await grant.log(.read, "attachment", id: attachment.id.uuid, on: connection)
            return attachment
        }
    }

    /// The bytes of `range` (or the whole file), read one chunk at a time as the client asks
    /// for them, so a slow client holds no buffer.
    public func content(of attachment: Attachment, range: ByteRange?) -> AttachmentContent {
        AttachmentContent(
            id: attachment.id,
            range: range ?? ByteRange(first: 0, last: attachment.size - 1),
            database: database,
            attachments: attachments
        )
    }

    private static func check(_ type: AttachmentType, _ head: [UInt8]) throws(DossierError) {
        guard type.matches(Array(head.prefix(sniffLength))) else {
            throw DossierError(
                .unsupportedMediaType,
                slug: .contentTypeMismatch,
                detail: "The file is not a \(type.rawValue), although it was sent as one."
            )
        }
    }

    private static func tooLarge(_ type: AttachmentType, _ limit: Int) -> DossierError {
        DossierError(
            .contentTooLarge,
            slug: .contentTooLarge,
            detail:
                "A \(type.sizeClass == .video ? "video" : "document") may be at most \(limit) bytes (\(limit >> 20) MiB)."
        )
    }
}

/// The stored chunks of one attachment that cover a byte range, fetched on demand.
public struct AttachmentContent: AsyncSequence, Sendable {
    public typealias Element = ArraySlice<UInt8>

    let id: Attachment.ID
    let range: ByteRange
    let database: Database
    let attachments: AttachmentRepository

    public func makeAsyncIterator() -> Iterator {
        Iterator(content: self, index: range.first / Attachment.chunkSize)
    }

    public struct Iterator: AsyncIteratorProtocol {
        let content: AttachmentContent
        var index: Int

        public mutating func next() async throws -> ArraySlice<UInt8>? {
            let range = content.range
            guard index <= range.last / Attachment.chunkSize else { return nil }
            let (number, id, attachments) = (index, content.id, content.attachments)
            guard let chunk = try await content.database.read({ try await attachments.chunk(number, of: id, on: $0) })
            else { throw DossierError.notFound("attachment chunk") }
            index += 1
            let start = number * Attachment.chunkSize
            return chunk[Swift.max(range.first - start, 0)..<Swift.min(range.last - start + 1, chunk.count)]
        }
    }
}
