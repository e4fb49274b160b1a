import DossierCore
import Foundation
import Testing

@Suite struct ZipWriterTests {
    /// Writes an archive of `files` and asks Python's zipfile, an independent reader, to list and
    /// CRC-check it.
    static func readBack(_ files: [(String, [UInt8])], zip64Threshold: UInt64) throws -> String {
        var zip = ZipWriter(modified: Date(timeIntervalSince1970: 1_795_000_000), zip64Threshold: zip64Threshold)
        var archive: [UInt8] = []
        for (name, bytes) in files {
            var crc = CRC32()
            crc.update(bytes)
            archive += zip.header(name: name, size: UInt64(bytes.count), crc32: crc.value)
            archive += bytes
        }
        archive += zip.finish()
        #expect(UInt64(archive.count) == zip.offset)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("zip-\(UUID()).zip")
        try Data(archive).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; "
                + "print(';'.join(f'{i.filename}={len(z.read(i))}' for i in z.infolist()))",
            url.path,
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static let files: [(String, [UInt8])] = [
        ("manifest.json", Array(#"{"schema_version":1}"#.utf8)),
        ("attachments/ë-name.txt", Array(repeating: 0x61, count: 70_000)),
        ("empty.txt", []),
    ]

    @Test func aSmallArchiveReadsBackWithEveryFileAndChecksum() throws {
        #expect(
            try Self.readBack(Self.files, zip64Threshold: 0xFFFF_FFFF)
                == "manifest.json=20;attachments/ë-name.txt=70000;empty.txt=0"
        )
    }

    /// The ZIP64 records are what make exports over 4 GiB work; a low threshold exercises them
    /// on every file without writing gigabytes.
    @Test func zip64RecordsReadBackToo() throws {
        #expect(
            try Self.readBack(Self.files, zip64Threshold: 16)
                == "manifest.json=20;attachments/ë-name.txt=70000;empty.txt=0"
        )
    }

    @Test func namesInsideTheArchiveCannotLeaveIt() {
        #expect(ZipWriter.safeName("../../etc/passwd", fallback: "file") == "_.._etc_passwd")
        #expect(ZipWriter.safeName("..", fallback: "file") == "file")
        #expect(ZipWriter.safeName("verslag <2026>.pdf", fallback: "file") == "verslag _2026_.pdf")
        #expect(ZipWriter.safeName("C:\\x\\y.docx", fallback: "file") == "C__x_y.docx")
    }

    @Test func userTextIsEscapedForHTML() {
        #expect(
            ExportIndexPage.escape(#"<script>alert("x")</script> & 'y'"#)
                == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        )
    }
}
