import Foundation

extension UUID {
    /// The canonical lower-case form (RFC 9562 section 4), written by arithmetic: `uuidString`
    /// formats through `sprintf` and `lowercased()` copies it again, which showed in the profile
    /// of the entry list, where every entry and comment writes two ids.
    public var lowercasedString: String {
        withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { text in
                var count = 0
                for (index, byte) in bytes.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        text[count] = UInt8(ascii: "-")
                        count += 1
                    }
                    text[count] = Self.hexDigit(byte >> 4)
                    text[count + 1] = Self.hexDigit(byte & 0x0F)
                    count += 2
                }
                return count
            }
        }
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}
