import Foundation
import Testing

@testable import DossierMail

@Suite struct MIMEComposerTests {
    static let message = MailMessage(
        from: MailAddress("digest@dossier.example", displayName: "Dossier")!,
        to: MailAddress("anna@example.org", displayName: "Anna Jansën")!,
        subject: "Je overzicht: één formulier en een geëvalueerde terugkomdag",
        text: "Hallo Anna,\n\n.Een regel die met een punt begint.\nPrijs = 0 euro \nKlaar.",
        html: "<p>Hallo Anna,</p>\n<p>Geëvalueerd: één formulier.</p>",
        messageID: "<5f0c9a52-1b0e-4c35-9a47-2d5b7f7b2c11@mail.dossier.example>",
        date: ISO8601DateFormatter().date(from: "2026-12-02T07:30:00Z")!,
        unsubscribeURL: "https://dossier.example/v1/email/unsubscribe/tok_abc"
    )

    @Test func theHeadersAreASCIIWithEncodedWordsAndTheOneClickUnsubscribe() {
        let text = String(decoding: MIMEComposer.compose(Self.message), as: UTF8.self)
        let head = text.components(separatedBy: "\r\n\r\n")[0].components(separatedBy: "\r\n")

        #expect(head.first == "Date: Wed, 02 Dec 2026 07:30:00 +0000")
        #expect(head.contains("From: \"Dossier\" <digest@dossier.example>"))
        #expect(head.contains { $0.hasPrefix("To: =?utf-8?B?") && $0.hasSuffix("?= <anna@example.org>") })
        #expect(head.contains("Message-ID: <5f0c9a52-1b0e-4c35-9a47-2d5b7f7b2c11@mail.dossier.example>"))
        #expect(head.contains("Auto-Submitted: auto-generated"))
        #expect(head.contains("List-Unsubscribe: <https://dossier.example/v1/email/unsubscribe/tok_abc>"))
        #expect(head.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"))
        #expect(text.utf8.allSatisfy { $0 < 0x80 })
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        let long = text.components(separatedBy: "\r\n").filter { $0.utf8.count > 78 }
        #expect(long.isEmpty, "\(long)")
    }

    @Test func theSameMessageComposesToTheSameBytes() {
        #expect(MIMEComposer.compose(Self.message) == MIMEComposer.compose(Self.message))
    }

    /// Python's `email` package, a reader nobody here wrote, gets back every character.
    @Test func pythonsEmailPackageDecodesTheSubjectNamesAndBothParts() async throws {
        let script = """
            import sys, json, email
            from email import policy
            m = email.message_from_bytes(sys.stdin.buffer.read(), policy=policy.default)
            parts = [p.get_content() for p in m.iter_parts()]
            print(json.dumps({"subject": str(m["subject"]), "to": str(m["to"]), "types": [p.get_content_type() for p in m.iter_parts()], "parts": parts}))
            """
        let input = MIMEComposer.compose(Self.message)
        let output = try await SMTPClientTests.offPool { try Self.python(script, input: input) }
        let decoded = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]

        #expect(decoded?["subject"] as? String == Self.message.subject)
        #expect(decoded?["to"] as? String == "Anna Jansën <anna@example.org>")
        #expect(decoded?["types"] as? [String] == ["text/plain", "text/html"])
        let parts = decoded?["parts"] as? [String]
        let text = parts?[0].replacingOccurrences(of: "\r\n", with: "\n")
        #expect(text == Self.message.text || text == Self.message.text + "\n", "\(String(reflecting: text))")
        #expect(parts?[1].hasPrefix("<p>Hallo Anna,</p>") == true && parts?[1].contains("één") == true)
    }

    @Test func quotedPrintableEscapesWhatTransportsWouldChangeAndKeepsLinesShort() {
        let encoded = QuotedPrintable.encode("a=b trailing \nëï\n" + String(repeating: "x", count: 200))
        let lines = encoded.components(separatedBy: "\r\n")

        #expect(lines[0] == "a=3Db trailing=20")
        #expect(lines[1] == "=C3=AB=C3=AF")
        #expect(lines.allSatisfy { $0.count <= 76 })
        #expect(lines.dropFirst(2).dropLast().allSatisfy { $0.hasSuffix("=") })
    }

    @Test func anAddressThatCouldSplitAHeaderOrACommandIsRefused() {
        #expect(MailAddress("anna@example.org") != nil)
        #expect(MailAddress("anna@example.org>\r\nRCPT TO:<x@y.z") == nil)
        #expect(MailAddress("anna example@example.org") == nil)
        #expect(MailAddress("no-at-sign.example.org") == nil)
        #expect(MailAddress("a@b@example.org") == nil)
        #expect(MailAddress("anna@localhost") == nil)
    }

    static func python(_ script: String, input: [UInt8]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input))
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
