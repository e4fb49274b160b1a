import Foundation

/// Writes a ZIP archive of stored (uncompressed) files whose sizes and CRC-32s are known before
/// their bytes, so no data descriptors are needed and the whole layout, and its length, is fixed
/// up front. ZIP64 fields appear where a size or offset reaches `zip64Threshold` (4 GiB), so
/// archives of any size open in common tools. Names are UTF-8 (general purpose bit 11).
public struct ZipWriter: Sendable {
    private struct Record: Sendable {
        let name: [UInt8]
        let size: UInt64
        let crc32: UInt32
        let offset: UInt64
    }

    private var records: [Record] = []
    /// Bytes written so far, headers and file data.
    public private(set) var offset: UInt64 = 0
    private let time: UInt16
    private let date: UInt16
    private let threshold: UInt64

    public init(modified: Date, zip64Threshold: UInt64 = 0xFFFF_FFFF) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .institute
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: modified)
        let year = max((parts.year ?? 1980) - 1980, 0)
        date = UInt16(year << 9 | (parts.month ?? 1) << 5 | (parts.day ?? 1))
        time = UInt16((parts.hour ?? 0) << 11 | (parts.minute ?? 0) << 5 | (parts.second ?? 0) / 2)
        threshold = zip64Threshold
    }

    /// The local header of the next file; its `size` bytes must follow it before the next call.
    public mutating func header(name: String, size: UInt64, crc32: UInt32) -> [UInt8] {
        let nameBytes = Array(name.utf8)
        let zip64 = size >= threshold
        var bytes: [UInt8] = []
        bytes.reserveCapacity(30 + nameBytes.count + 20)
        bytes.append(le32: 0x0403_4B50)
        bytes.append(le16: zip64 ? 45 : 20)
        bytes.append(le16: 0x0800)
        bytes.append(le16: 0)
        bytes.append(le16: time)
        bytes.append(le16: date)
        bytes.append(le32: crc32)
        bytes.append(le32: zip64 ? 0xFFFF_FFFF : UInt32(size))
        bytes.append(le32: zip64 ? 0xFFFF_FFFF : UInt32(size))
        bytes.append(le16: UInt16(nameBytes.count))
        bytes.append(le16: zip64 ? 20 : 0)
        bytes.append(contentsOf: nameBytes)
        if zip64 {
            bytes.append(le16: 0x0001)
            bytes.append(le16: 16)
            bytes.append(le64: size)
            bytes.append(le64: size)
        }
        records.append(Record(name: nameBytes, size: size, crc32: crc32, offset: offset))
        offset += UInt64(bytes.count) + size
        return bytes
    }

    /// The central directory and end records, after the last file's bytes.
    public mutating func finish() -> [UInt8] {
        let directoryOffset = offset
        var bytes: [UInt8] = []
        for record in records {
            let zip64 = record.size >= threshold || record.offset >= threshold
            bytes.append(le32: 0x0201_4B50)
            bytes.append(le16: 45 | 3 << 8)
            bytes.append(le16: zip64 ? 45 : 20)
            bytes.append(le16: 0x0800)
            bytes.append(le16: 0)
            bytes.append(le16: time)
            bytes.append(le16: date)
            bytes.append(le32: record.crc32)
            bytes.append(le32: zip64 ? 0xFFFF_FFFF : UInt32(record.size))
            bytes.append(le32: zip64 ? 0xFFFF_FFFF : UInt32(record.size))
            bytes.append(le16: UInt16(record.name.count))
            bytes.append(le16: zip64 ? 28 : 0)
            bytes.append(le16: 0)
            bytes.append(le16: 0)
            bytes.append(le16: 0)
            bytes.append(le32: 0o100644 << 16)
            bytes.append(le32: zip64 ? 0xFFFF_FFFF : UInt32(record.offset))
            bytes.append(contentsOf: record.name)
            if zip64 {
                bytes.append(le16: 0x0001)
                bytes.append(le16: 24)
                bytes.append(le64: record.size)
                bytes.append(le64: record.size)
                bytes.append(le64: record.offset)
            }
        }
        let directorySize = UInt64(bytes.count)
        let count = UInt64(records.count)
        let needsZip64 =
            count >= 0xFFFF || directoryOffset >= threshold || directorySize >= threshold
            || records.contains { $0.size >= threshold || $0.offset >= threshold }
        if needsZip64 {
            let recordOffset = directoryOffset + directorySize
            bytes.append(le32: 0x0606_4B50)
            bytes.append(le64: 44)
            bytes.append(le16: 45 | 3 << 8)
            bytes.append(le16: 45)
            bytes.append(le32: 0)
            bytes.append(le32: 0)
            bytes.append(le64: count)
            bytes.append(le64: count)
            bytes.append(le64: directorySize)
            bytes.append(le64: directoryOffset)
            bytes.append(le32: 0x0706_4B50)
            bytes.append(le32: 0)
            bytes.append(le64: recordOffset)
            bytes.append(le32: 1)
        }
        bytes.append(le32: 0x0605_4B50)
        bytes.append(le16: 0)
        bytes.append(le16: 0)
        bytes.append(le16: needsZip64 ? 0xFFFF : UInt16(count))
        bytes.append(le16: needsZip64 ? 0xFFFF : UInt16(count))
        bytes.append(le32: needsZip64 ? 0xFFFF_FFFF : UInt32(directorySize))
        bytes.append(le32: needsZip64 ? 0xFFFF_FFFF : UInt32(directoryOffset))
        bytes.append(le16: 0)
        offset += UInt64(bytes.count)
        return bytes
    }

    /// A name safe inside an archive: no directories, no dot files, no control or reserved
    /// characters, at most 100 characters; `fallback` when nothing is left.
    public static func safeName(_ name: String, fallback: String) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "._- ()"))
        var cleaned = String(
            String.UnicodeScalarView(name.unicodeScalars.map { allowed.contains($0) && $0.isASCII ? $0 : "_" })
        )
        while cleaned.hasPrefix(".") || cleaned.hasPrefix(" ") { cleaned.removeFirst() }
        cleaned = String(cleaned.suffix(100)).trimmingCharacters(in: .whitespaces)
        return cleaned.isEmpty ? fallback : cleaned
    }
}

extension [UInt8] {
    fileprivate mutating func append(le16 value: UInt16) {
        append(UInt8(value & 0xFF))
        append(UInt8(value >> 8))
    }

    fileprivate mutating func append(le32 value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }

    fileprivate mutating func append(le64 value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { append(UInt8((value >> UInt64(shift)) & 0xFF)) }
    }
}
