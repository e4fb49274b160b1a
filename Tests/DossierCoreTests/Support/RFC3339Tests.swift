import DossierCore
import Foundation
import Testing

@Suite struct RFC3339Tests {
    @Test(arguments: [
        ("2026-11-23T09:00:00Z", 1_795_424_400.0),
        ("2026-11-23t09:00:00z", 1_795_424_400.0),
        ("2026-11-23T10:00:00+01:00", 1_795_424_400.0),
        ("2026-11-23T04:30:00-04:30", 1_795_424_400.0),
        ("2026-11-23T09:00:00.250Z", 1_795_424_400.25),
        ("2026-11-23T10:00:00.5+01:00", 1_795_424_400.5),
        ("2024-02-29T00:00:00Z", 1_709_164_800.0),
    ])
    func aFullRFC3339DateTimeIsRead(text: String, seconds: Double) {
        #expect(RFC3339.date(from: text)?.timeIntervalSince1970 == seconds)
    }

    @Test(arguments: [
        "2026-11-23T09:00:00Zjunk", "2026-11-23T09:00:00", "2026-11-23 09:00:00Z", "2026-11-23T09:00Z",
        "2026-11-23T09:00:00.Z", "2026-11-23T09:00:00+0100", "2026-11-23T09:00:00+24:00", "2025-02-29T00:00:00Z",
        "2026-13-01T00:00:00Z", "2026-11-23T24:00:00Z", "2026-11-23T09:60:00Z", "2026-11-23T09:00:60Z",
        "2026-11-23", "", "２０２６-11-23T09:00:00Z",
    ])
    func anythingElseIsRefused(text: String) {
        #expect(RFC3339.date(from: text) == nil)
    }

    @Test(arguments: [
        (1_795_424_400.0, "2026-11-23T09:00:00Z"),
        (1_795_424_400.999, "2026-11-23T09:00:00Z"),
        (1_709_164_800.0, "2024-02-29T00:00:00Z"),
        (0.0, "1970-01-01T00:00:00Z"),
        (-0.5, "1969-12-31T23:59:59Z"),
        (-86_400.0, "1969-12-31T00:00:00Z"),
        (951_868_799.0, "2000-02-29T23:59:59Z"),
        (253_402_300_799.0, "9999-12-31T23:59:59Z"),
    ])
    func aDateIsWrittenInUTCToTheWholeSecond(seconds: Double, text: String) {
        #expect(RFC3339.string(from: Date(timeIntervalSince1970: seconds)) == text)
    }

    @Test(arguments: [
        (1_795_424_400.25, "2026-11-23T09:00:00.250Z"),
        (1_795_424_400.0009, "2026-11-23T09:00:00.000Z"),
        (-0.001, "1969-12-31T23:59:59.999Z"),
        (951_868_799.999, "2000-02-29T23:59:59.999Z"),
    ])
    func aLogTimeIsWrittenToTheMillisecond(seconds: Double, text: String) {
        #expect(RFC3339.millisecondString(from: Date(timeIntervalSince1970: seconds)) == text)
    }

    @Test func writingAgreesWithFoundationsFormatterOverFourCenturies() {
        let formatter = ISO8601DateFormatter()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let date = Date(
                timeIntervalSince1970: Double(Int64.random(in: -2_208_988_800...32_503_680_000, using: &generator))
            )
            #expect(RFC3339.string(from: date) == formatter.string(from: date))
            #expect(RFC3339.date(from: RFC3339.string(from: date)) == date)
        }
    }
}

@Suite struct AttachmentNameTests {
    @Test(arguments: [
        (AttachmentType.pdf, "report.html", "report.html.pdf"),
        (.pdf, "report.PDF", "report.PDF"),
        (.jpeg, "photo.jpeg", "photo.jpeg"),
        (.jpeg, "photo.png", "photo.png.jpg"),
        (.plainText, "notes.svg", "notes.svg.txt"),
        (.docx, "verslag", "verslag.docx"),
        (.png, String(repeating: "a", count: 255), String(repeating: "a", count: 251) + ".png"),
    ])
    func aNameEndsInAnExtensionOfItsSniffedType(type: AttachmentType, name: String, expected: String) {
        #expect(type.fileName(name) == expected)
    }
}
