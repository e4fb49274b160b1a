import DossierCore
import Foundation
import Logging
import Synchronization
import Testing

@Suite struct JSONLogHandlerTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
    }

    @Test func eachEventIsOneParseableJSONLineWithItsMetadata() throws {
        let output = Lines()
        var logger = Logger(label: "dossier.test") { label in
            JSONLogHandler(label: label, level: .info) { line in output.lines.withLock { $0.append(line) } }
        }
        logger[metadataKey: "request_id"] = "abc"

        logger.info("line\nbreak \"quoted\"", metadata: ["status": .stringConvertible(201), "tags": ["a", "b"]])
        logger.debug("below the level")

        let lines = output.lines.withLock { $0 }
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        #expect(line.hasSuffix("}\n"))
        #expect(line.dropLast().contains("\n") == false)
        let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["msg"] as? String == "line\nbreak \"quoted\"")
        #expect(object["level"] as? String == "info")
        #expect(object["label"] as? String == "dossier.test")
        #expect(object["request_id"] as? String == "abc")
        #expect(object["status"] as? String == "201")
        #expect(object["tags"] as? [String] == ["a", "b"])
        #expect((object["ts"] as? String)?.hasSuffix("Z") == true)
    }
}
