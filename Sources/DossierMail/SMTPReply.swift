/// A server's reply (RFC 5321 section 4.2): a three-digit code on every line, `-` after it on all
/// but the last, and with ENHANCEDSTATUSCODES an RFC 3463 code (`5.1.1`) in front of the text.
public struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    public enum Class: Sendable, Equatable {
        /// 2xx: done.
        case success
        /// 3xx: go on (354 after DATA).
        case intermediate
        /// 4xx: try again later.
        case transient
        /// 5xx: do not try again.
        case permanent
    }

    public let code: Int
    public let enhancedCode: String?
    /// The text of each line, without code, separator or enhanced code.
    public let lines: [String]

    public var replyClass: Class {
        switch code / 100 {
        case 2: .success
        case 3: .intermediate
        case 4: .transient
        default: .permanent
        }
    }

    /// The reply as the server sent it, one line, for the outbox row and errors; never a body.
    public var description: String {
        ([String(code), enhancedCode].compactMap { $0 } + [lines.joined(separator: " / ")]).joined(separator: " ")
    }

    public init(code: Int, enhancedCode: String?, lines: [String]) {
        self.code = code
        self.enhancedCode = enhancedCode
        self.lines = lines
    }
}

/// Collects reply lines until the last one (`250 ` rather than `250-`).
struct SMTPReplyParser: Sendable {
    enum Failure: Error, Equatable {
        case malformed(String)
    }

    private var code: Int?
    private var lines: [String] = []
    private var enhanced: String?

    /// Feeds one line without its CRLF; the reply once the line was its last.
    mutating func feed(_ line: String) throws(Failure) -> SMTPReply? {
        let bytes = Array(line.utf8)
        guard bytes.count >= 3, let value = Int(String(decoding: bytes[0..<3], as: UTF8.self)),
            (200...599).contains(value)
        else { throw .malformed(String(line.prefix(80))) }
        if let code, code != value { throw .malformed(String(line.prefix(80))) }
        code = value
        let separator = bytes.count > 3 ? bytes[3] : UInt8(ascii: " ")
        guard separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else {
            throw .malformed(String(line.prefix(80)))
        }
        var text = bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : ""
        if let match = text.firstMatch(of: /^([245]\.\d{1,3}\.\d{1,3})(?: |$)/) {
            enhanced = enhanced ?? String(match.output.1)
            text = String(text.dropFirst(match.output.0.count))
        }
        lines.append(text)
        guard separator == UInt8(ascii: " ") else { return nil }
        defer { self = SMTPReplyParser() }
        return SMTPReply(code: value, enhancedCode: enhanced, lines: lines)
    }
}
