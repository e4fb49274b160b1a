import Foundation

/// A file attached to an entry, stored in 1 MiB chunks; its checksums are computed on the way in.
public struct Attachment: Sendable, Equatable {
    public enum Entity {}
    public typealias ID = Identifier<Entity>

    public static let chunkSize = 1 << 20

    public let id: ID
    public let entryID: Entry.ID
    public let fileName: String
    public let type: AttachmentType
    public let size: Int
    public let sha256: [UInt8]
    public let crc32: UInt32
    public let uploadedBy: PersonID
    public let createdAt: Date

    public init(
        id: ID,
        entryID: Entry.ID,
        fileName: String,
        type: AttachmentType,
        size: Int,
        sha256: [UInt8],
        crc32: UInt32,
        uploadedBy: PersonID,
        createdAt: Date
    ) {
        self.id = id
        self.entryID = entryID
        self.fileName = fileName
        self.type = type
        self.size = size
        self.sha256 = sha256
        self.crc32 = crc32
        self.uploadedBy = uploadedBy
        self.createdAt = createdAt
    }

    public var sha256Hex: String { sha256.map { String(format: "%02x", $0) }.joined() }

    /// A file name safe in a header and an archive: no path, no control or quote characters.
    public static func sanitise(_ name: String) -> String? {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = String(last.unicodeScalars.filter { $0.value >= 0x20 && $0 != "\"" && $0.value != 0x7F })
            .trimmingCharacters(in: .whitespaces)
        guard !cleaned.isEmpty, cleaned != ".", cleaned != "..", cleaned.utf8.count <= 255 else { return nil }
        return cleaned
    }
}

/// Upload limits per kind of file (`ATTACHMENT_MAX_DOCUMENT_BYTES`, `ATTACHMENT_MAX_VIDEO_BYTES`).
public struct AttachmentLimits: Sendable, Equatable {
    public var document: Int
    public var video: Int

    public init(document: Int = 50 << 20, video: Int = 2 << 30) {
        self.document = document
        self.video = video
    }

    public func limit(for type: AttachmentType) -> Int {
        type.sizeClass == .video ? video : document
    }

    public var largest: Int { max(document, video) }
}

/// A byte range of a download (RFC 9110 §14), resolved against the file's size.
public struct ByteRange: Sendable, Equatable {
    public let first: Int
    public let last: Int

    public var count: Int { last - first + 1 }

    public init(first: Int, last: Int) {
        self.first = first
        self.last = last
    }

    /// Parses `bytes=a-b`, `bytes=a-` or `bytes=-n`; nil for a header this API does not serve
    /// as a range (several ranges), and 416 for a range past the end.
    public static func parse(_ header: String, size: Int) throws(DossierError) -> ByteRange? {
        guard header.hasPrefix("bytes="), !header.contains(",") else { return nil }
        let spec = header.dropFirst(6).split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard spec.count == 2 else { return nil }
        let unsatisfiable = DossierError(
            .rangeNotSatisfiable,
            slug: .rangeNotSatisfiable,
            detail: "The range \(header) lies outside the file of \(size) bytes."
        )
        if spec[0].isEmpty {
            guard let suffix = Int(spec[1]), suffix > 0 else { return nil }
            guard size > 0 else { throw unsatisfiable }
            return ByteRange(first: max(0, size - suffix), last: size - 1)
        }
        guard let first = Int(spec[0]) else { return nil }
        guard first < size else { throw unsatisfiable }
        let last = spec[1].isEmpty ? size - 1 : Int(spec[1])
        guard let last, last >= first else { return nil }
        return ByteRange(first: first, last: min(last, size - 1))
    }
}
