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
