import Testing

@testable import DossierMail

@Suite struct SMTPDataTests {
    static func stuffed(_ text: String) throws -> String {
        String(decoding: try SMTPData.stuffed(Array(text.utf8)), as: UTF8.self)
    }

    @Test func aDotAtTheStartOfALineIsDoubledAndLineEndsBecomeCRLF() throws {
        #expect(try Self.stuffed(".") == "..\r\n")
        #expect(try Self.stuffed("a\n.b\r\n..c\rd") == "a\r\n..b\r\n...c\r\nd\r\n")
        #expect(try Self.stuffed("a.b\r\n") == "a.b\r\n")
        #expect(try Self.stuffed("") == "\r\n")
    }

    @Test func aLineOver998OctetsIsRefusedWithItsNumber() {
        #expect(throws: SMTPData.Failure.lineTooLong(line: 2)) {
            try SMTPData.stuffed(Array(("ok\n" + String(repeating: "x", count: 999)).utf8))
        }
        #expect((try? SMTPData.stuffed(Array(String(repeating: "x", count: 998).utf8))) != nil)
    }

    @Test func aMultiLineReplyIsOneReplyWithItsEnhancedCode() throws {
        var parser = SMTPReplyParser()
        #expect(try parser.feed("250-mail.example Hello") == nil)
        #expect(try parser.feed("250-STARTTLS") == nil)
        let reply = try #require(try parser.feed("250 AUTH PLAIN LOGIN"))
        #expect(reply.code == 250 && reply.lines == ["mail.example Hello", "STARTTLS", "AUTH PLAIN LOGIN"])

        let refused = try #require(try parser.feed("550 5.1.1 No such user"))
        #expect(refused.enhancedCode == "5.1.1" && refused.lines == ["No such user"])
        #expect(refused.replyClass == .permanent)
        #expect(try #require(try parser.feed("451 4.3.0 Try later")).replyClass == .transient)
    }

    @Test func aReplyThatIsNotSMTPIsRefused() {
        var parser = SMTPReplyParser()
        #expect(throws: SMTPReplyParser.Failure.self) { try parser.feed("HTTP/1.1 200 OK") }
        var mixed = SMTPReplyParser()
        _ = try? mixed.feed("250-first")
        #expect(throws: SMTPReplyParser.Failure.self) { try mixed.feed("354 second") }
    }
}
