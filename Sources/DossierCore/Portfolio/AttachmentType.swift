/// The kinds of file a portfolio accepts, recognised by their first bytes: a declared type must
/// match what the file is. HTML and SVG are never accepted (they run script in a browser).
public enum AttachmentType: String, CaseIterable, Sendable {
    case pdf = "application/pdf"
    case png = "image/png"
    case jpeg = "image/jpeg"
    case mp4 = "video/mp4"
    case quickTime = "video/quicktime"
    case plainText = "text/plain"
    case docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    case xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    case pptx = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    case odt = "application/vnd.oasis.opendocument.text"
    case ods = "application/vnd.oasis.opendocument.spreadsheet"
    case odp = "application/vnd.oasis.opendocument.presentation"

    public enum SizeClass: Sendable {
        case document
        case video
    }

    public var sizeClass: SizeClass { self == .mp4 || self == .quickTime ? .video : .document }

    /// The file name extensions of this type, the usual one first.
    public var fileExtensions: [String] {
        switch self {
        case .pdf: ["pdf"]
        case .png: ["png"]
        case .jpeg: ["jpg", "jpeg"]
        case .mp4: ["mp4"]
        case .quickTime: ["mov"]
        case .plainText: ["txt"]
        case .docx: ["docx"]
        case .xlsx: ["xlsx"]
        case .pptx: ["pptx"]
        case .odt: ["odt"]
        case .ods: ["ods"]
        case .odp: ["odp"]
        }
    }

    /// `name` ending in an extension of this type: `report.html` holding a PDF becomes
    /// `report.html.pdf`, so no stored, downloaded or exported name makes a browser open the
    /// file as a page or a script.
    public func fileName(_ name: String) -> String {
        let suffix = name.split(separator: ".", omittingEmptySubsequences: false).last.map { $0.lowercased() }
        if name.contains("."), let suffix, fileExtensions.contains(suffix) { return name }
        let ending = "." + (fileExtensions.first ?? "bin")
        var base = name
        while base.utf8.count + ending.utf8.count > 255 { base.removeLast() }
        return base + ending
    }

    /// Whether `head` (the first bytes of the file, at least a few hundred where the file has
    /// them) looks like this type.
    public func matches(_ head: [UInt8]) -> Bool {
        switch self {
        case .pdf: return head.starts(with: Array("%PDF-".utf8))
        case .png: return head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        case .jpeg: return head.starts(with: [0xFF, 0xD8, 0xFF])
        case .mp4, .quickTime:
            guard head.count >= 12, Array(head[4..<8]) == Array("ftyp".utf8) else { return false }
            let isQuickTime = Array(head[8..<12]) == Array("qt  ".utf8)
            return (self == .quickTime) == isQuickTime
        case .docx, .xlsx, .pptx:
            return head.starts(with: [0x50, 0x4B, 0x03, 0x04])
        case .odt, .ods, .odp:
            // An ODF package starts with an uncompressed `mimetype` member naming its type.
            guard head.starts(with: [0x50, 0x4B, 0x03, 0x04]), head.count >= 38 + rawValue.utf8.count else {
                return false
            }
            return Array(head[30..<38]) == Array("mimetype".utf8)
                && Array(head[38..<(38 + rawValue.utf8.count)]) == Array(rawValue.utf8)
        case .plainText:
            guard !head.contains(0), Self.isUTF8(head) else { return false }
            let start = String(decoding: head.prefix(256), as: UTF8.self).drop(while: \.isWhitespace).lowercased()
            return !["<!doctype", "<html", "<svg", "<?xml", "<script"].contains(where: start.hasPrefix)
        }
    }

    /// UTF-8, allowing a character cut in two at the end of the head.
    private static func isUTF8(_ bytes: [UInt8]) -> Bool {
        (0...min(3, bytes.count)).contains { String(validating: bytes.dropLast($0), as: UTF8.self) != nil }
    }
}
