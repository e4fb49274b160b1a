import DossierCore
import Testing

@Suite struct AttachmentRulesTests {
    @Test(arguments: [
        ("bytes=0-9", 100, 0, 9),
        ("bytes=90-", 100, 90, 99),
        ("bytes=-10", 100, 90, 99),
        ("bytes=95-200", 100, 95, 99),
    ])
    func rangesResolveAgainstTheSize(header: String, size: Int, first: Int, last: Int) throws {
        #expect(try ByteRange.parse(header, size: size) == ByteRange(first: first, last: last))
    }

    @Test func rangesPastTheEndAre416AndOthersAreIgnored() throws {
        #expect(throws: DossierError.self) { try ByteRange.parse("bytes=100-", size: 100) }
        #expect(try ByteRange.parse("bytes=0-1,5-6", size: 100) == nil)
        #expect(try ByteRange.parse("items=0-1", size: 100) == nil)
        #expect(try ByteRange.parse("bytes=9-2", size: 100) == nil)
    }

    @Test func fileNamesLoseTheirPathAndControlCharacters() {
        #expect(Attachment.sanitise("../../etc/passwd") == "passwd")
        #expect(Attachment.sanitise("C:\\Users\\anna\\verslag \"v2\".pdf") == "verslag v2.pdf")
        #expect(Attachment.sanitise("..") == nil)
        #expect(Attachment.sanitise("a\u{0}\nb.txt") == "ab.txt")
    }

    @Test func typesAreRecognisedByTheirFirstBytes() {
        #expect(AttachmentType.pdf.matches(Array("%PDF-1.7".utf8)))
        #expect(!AttachmentType.pdf.matches(Array("%!PS".utf8)))
        let quickTime: [UInt8] = [0, 0, 0, 20] + Array("ftypqt  ".utf8)
        #expect(AttachmentType.quickTime.matches(quickTime))
        #expect(!AttachmentType.mp4.matches(quickTime))
        #expect(AttachmentType.plainText.matches(Array("Verslag van de dienst\n".utf8)))
        #expect(!AttachmentType.plainText.matches(Array("  <svg onload=x>".utf8)))
        #expect(!AttachmentType.plainText.matches([0x41, 0x00, 0x42]))
    }

    @Test func crc32MatchesTheStandardCheckValue() {
        var crc = CRC32()
        crc.update(Array("123456789".utf8))
        #expect(crc.value == 0xCBF4_3926)
    }
}
