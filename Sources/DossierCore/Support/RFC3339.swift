import Foundation

/// RFC 3339 date-times (section 5.6), parsed whole and strictly: fractional seconds and offsets
/// are accepted, anything after the offset is not, and every field must name a real moment.
public enum RFC3339 {
    public static func date(from text: String) -> Date? {
        let bytes = Array(text.utf8)
        var index = 0

        func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + count] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            index += count
            return value
        }
        func expect(_ characters: String) -> Bool {
            guard index < bytes.count, characters.utf8.contains(bytes[index]) else { return false }
            index += 1
            return true
        }

        guard let year = digits(4), expect("-"), let month = digits(2), expect("-"), let day = digits(2),
            expect("Tt"), let hour = digits(2), expect(":"), let minute = digits(2), expect(":"),
            let second = digits(2)
        else { return nil }
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            var scale = 0.1
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                fraction += Double(bytes[index] - UInt8(ascii: "0")) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        var offsetSeconds = 0
        if expect("Zz") {
            offsetSeconds = 0
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let offsetHour = digits(2), expect(":"), let offsetMinute = digits(2), offsetHour < 24,
                offsetMinute < 60
            else { return nil }
            offsetSeconds = sign * (offsetHour * 3600 + offsetMinute * 60)
        } else {
            return nil
        }
        // Leap seconds (60) are refused: Foundation's Date cannot represent them.
        guard index == bytes.count, (1...12).contains(month), day >= 1,
            day <= CalendarDate.days(inMonth: month, year: year), hour < 24, minute < 60, second < 60
        else { return nil }
        let days = CalendarDate(year: year, month: month, day: day).dayNumber
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }
}

extension RFC3339 {
    /// `2026-11-23T09:00:00Z`: UTC, whole seconds (truncated), as the API has always written
    /// date-times. Plain arithmetic, since a formatter per call costs more than the rest of an
    /// entry's encoding.
    public static func string(from date: Date) -> String { string(from: date, milliseconds: false) }

    /// `2026-11-23T09:00:00.250Z`: to the millisecond (truncated), for log lines and log rows.
    public static func millisecondString(from date: Date) -> String { string(from: date, milliseconds: true) }

    private static func string(from date: Date, milliseconds: Bool) -> String {
        // Through whole microseconds first, so that binary noise (-0.001 s is -1.0000000000000002 ms)
        // does not move a time into the millisecond before.
        let micros = Int((date.timeIntervalSince1970 * 1_000_000).rounded())
        let total = micros >= 0 ? micros / 1000 : (micros - 999) / 1000
        let seconds = total >= 0 ? total / 1000 : (total - 999) / 1000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let time = seconds - days * 86_400
        let day = CalendarDate(dayNumber: days)
        var bytes = [UInt8](repeating: 0, count: milliseconds ? 24 : 20)
        func put(_ value: Int, _ width: Int, at offset: Int) {
            var value = value
            for position in stride(from: offset + width - 1, through: offset, by: -1) {
                bytes[position] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
        }
        put(day.year, 4, at: 0)
        put(day.month, 2, at: 5)
        put(day.day, 2, at: 8)
        put(time / 3600, 2, at: 11)
        put(time / 60 % 60, 2, at: 14)
        put(time % 60, 2, at: 17)
        for offset in [4, 7] { bytes[offset] = UInt8(ascii: "-") }
        bytes[10] = UInt8(ascii: "T")
        for offset in [13, 16] { bytes[offset] = UInt8(ascii: ":") }
        if milliseconds {
            bytes[19] = UInt8(ascii: ".")
            put(total - seconds * 1000, 3, at: 20)
        }
        bytes[bytes.count - 1] = UInt8(ascii: "Z")
        return String(decoding: bytes, as: UTF8.self)
    }
}
