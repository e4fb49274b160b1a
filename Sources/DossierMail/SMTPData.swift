/// The message as it goes after DATA (RFC 5321 section 4.5.2): CRLF line ends, a `.` doubled
/// at the start of a line, ending in CRLF. The terminating `.` CRLF is not part of it: the
/// client sends it separately, after the caller has recorded that it is about to.
public enum SMTPData {
    public enum Failure: Error, Equatable {
        /// RFC 5322 section 2.1.1: no line over 998 octets (1-based line number).
        case lineTooLong(line: Int)
    }

    public static let maximumLineOctets = 998

    public static func stuffed(_ message: [UInt8]) throws(Failure) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(message.count + message.count / 64 + 2)
        var lineLength = 0
        var line = 1
        var atLineStart = true
        var index = 0
        while index < message.count {
            let byte = message[index]
            if byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n") {
                // CRLF, a lone CR and a lone LF all end a line as CRLF.
                if byte == UInt8(ascii: "\r"), index + 1 < message.count, message[index + 1] == UInt8(ascii: "\n") {
                    index += 1
                }
                output += [UInt8(ascii: "\r"), UInt8(ascii: "\n")]
                lineLength = 0
                line += 1
                atLineStart = true
            } else {
                if atLineStart, byte == UInt8(ascii: ".") { output.append(UInt8(ascii: ".")) }
                output.append(byte)
                lineLength += 1
                atLineStart = false
                if lineLength > maximumLineOctets { throw .lineTooLong(line: line) }
            }
            index += 1
        }
        if !atLineStart || output.isEmpty { output += [UInt8(ascii: "\r"), UInt8(ascii: "\n")] }
        return output
    }

    public static let terminator: [UInt8] = Array(".\r\n".utf8)
}
