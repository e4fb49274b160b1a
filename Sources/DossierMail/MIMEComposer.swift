import Foundation

/// Composes an RFC 5322 message: `multipart/alternative` with a UTF-8 text part first and an
/// HTML part second, both quoted-printable, headers in ASCII (RFC 2047 encoded words where a
/// subject or name needs more), CRLF line ends and no line over 78 octets.
public enum MIMEComposer {
    public static func compose(_ message: MailMessage) -> [UInt8] {
        // `=_` never occurs in quoted-printable text, so no part can contain the boundary.
        let boundary = "=_" + message.messageID.filter { $0.isASCII && ($0.isLetter || $0.isNumber) }.prefix(40)
        var headers = [
            "Date: \(date(message.date))",
            "From: \(address(message.from))",
            "To: \(address(message.to))",
            "Subject: \(EncodedWord.header(message.subject, prefix: "Subject: ".utf8.count))",
            "Message-ID: \(message.messageID.filter { !$0.isNewline })",
            "MIME-Version: 1.0",
            "Auto-Submitted: auto-generated",
        ]
        if let url = message.unsubscribeURL?.filter({ !$0.isNewline && $0 != ">" }) {
            headers.append("List-Unsubscribe: <\(url)>")
            headers.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
        }
        headers.append("Content-Type: multipart/alternative;\r\n boundary=\"\(boundary)\"")
        var lines = headers + [""]
        for (type, body) in [("text/plain", message.text), ("text/html", message.html)] {
            lines += [
                "--\(boundary)",
                "Content-Type: \(type); charset=utf-8",
                "Content-Transfer-Encoding: quoted-printable",
                "",
                QuotedPrintable.encode(body),
            ]
        }
        lines.append("--\(boundary)--")
        return Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    /// `Name <address>`, the name as an encoded word unless it is plain ASCII text.
    static func address(_ address: MailAddress) -> String {
        guard let name = address.displayName, !name.isEmpty else { return address.address }
        let plain = name.unicodeScalars.allSatisfy {
            $0.isASCII && $0.value >= 0x20 && !"\"\\".unicodeScalars.contains($0)
        }
        let phrase = plain ? "\"\(name)\"" : EncodedWord.header(name, prefix: 6)
        return "\(phrase) <\(address.address)>"
    }

    /// RFC 5322 section 3.3, in UTC: `Wed, 02 Dec 2026 04:35:00 +0000`.
    static func date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        let parts = calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return String(
            format: "%@, %02d %@ %04d %02d:%02d:%02d +0000",
            days[((parts.weekday ?? 1) - 1) % 7],
            parts.day ?? 1,
            months[((parts.month ?? 1) - 1) % 12],
            parts.year ?? 1970,
            parts.hour ?? 0,
            parts.minute ?? 0,
            parts.second ?? 0
        )
    }
}

/// RFC 2047 encoded words (`=?utf-8?B?...?=`) for header text that is not plain ASCII, split
/// between whole characters and folded so no header line passes 76 octets.
enum EncodedWord {
    static func header(_ text: String, prefix: Int) -> String {
        let flat = text.filter { !$0.isNewline }
        if flat.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value != 0x7F }),
            flat.utf8.count + prefix <= 76, !flat.contains("=?")
        {
            return flat
        }
        // 45 bytes of UTF-8 make 60 characters of base64; with "=?utf-8?B?" and "?=" a word is 72,
        // after the folding space 73. The first word shares its line with the header's name.
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in flat {
            let bytes = Array(String(character).utf8)
            let limit = words.isEmpty ? max(6, (76 - prefix - 12) / 4 * 3) : 45
            if chunk.count + bytes.count > limit {
                words.append(word(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append(word(chunk)) }
        return words.joined(separator: "\r\n ")
    }

    private static func word(_ bytes: [UInt8]) -> String {
        "=?utf-8?B?\(Data(bytes).base64EncodedString())?="
    }
}

/// Quoted-printable (RFC 2045 section 6.7) of UTF-8 text with CRLF hard line breaks: lines of at
/// most 76 characters, `=` and every byte outside printable ASCII escaped, and a space or tab
/// escaped at the end of a line, where transports strip it.
enum QuotedPrintable {
    static func encode(_ text: String) -> String {
        let normalised = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        return normalised.split(separator: "\n", omittingEmptySubsequences: false).map(encodeLine)
            .joined(separator: "\r\n")
    }

    private static func encodeLine(_ line: Substring) -> String {
        let bytes = Array(line.utf8)
        var output = ""
        var current = 0
        for (index, byte) in bytes.enumerated() {
            let last = index == bytes.count - 1
            let plain = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 32 || byte == 9) && !last)
            let token = plain ? String(UnicodeScalar(byte)) : String(format: "=%02X", byte)
            // A soft break (`=` at the end) keeps each line within 76 characters.
            if current + token.count > (last ? 76 : 75) {
                output += "=\r\n"
                current = 0
            }
            output += token
            current += token.count
        }
        return output
    }
}
