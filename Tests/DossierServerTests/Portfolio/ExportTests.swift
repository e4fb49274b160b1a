import DossierAPI
import DossierCore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@Suite struct ExportTests {
    /// The archive's files, read by Python's zipfile after it checked every CRC.
    static func unzip(_ body: ByteBuffer) throws -> [String: [UInt8]] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID()).zip")
        try Data(buffer: body).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            "import sys, json, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; "
                + "print(json.dumps({n: z.read(n).hex() for n in z.namelist()}))",
            url.path,
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let files = try JSONDecoder().decode([String: String].self, from: data)
        return files.mapValues { hex in
            stride(from: 0, to: hex.count, by: 2).map {
                UInt8(hex.dropFirst($0).prefix(2), radix: 16) ?? 0
            }
        }
    }

    @Test func theTraineeDownloadsEverythingAsOneArchiveWithManifestAndReadablePage() async throws {
        try await World.test { world in
            let portfolio = try await world.portfolio()
            let entry = try await world.sharedEntry()
            _ = try await world.request(
                .post,
                "/v1/portfolios/\(portfolio)/entries",
                as: world.trainee,
                body: #"{"kind":"reflection","title":"<script>alert(1)</script>","body":"a & b"}"#
            )
            let attachment = try await world.upload(
                entry: entry,
                bytes: Fixture.png,
                type: "image/png",
                name: "..%2F..%2Fscan.png"
            ).decode(API.Attachment.self)
            _ = try await world.request(
                .post,
                "/v1/portfolios/\(portfolio)/assessments",
                as: world.trainer,
                body: #"{"instrument":"kba","answers":\#(Fixture.kba),"assessed_on":"2026-11-20"}"#
            )
            _ = try await world.progressReview(portfolio)

            let response = try await world.request(.get, "/v1/portfolios/\(portfolio)/export", as: world.trainee)
            let files = try Self.unzip(response.body)
            let manifest =
                try JSONSerialization.jsonObject(with: Data(try #require(files["manifest.json"])))
                as? [String: Any]
            let page = String(decoding: try #require(files["index.html"]), as: UTF8.self)

            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/zip")
            #expect(response.headers[.contentLength] == String(response.body.readableBytes))
            #expect(response.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"portfolio-") == true)
            #expect(files["attachments/\(attachment.id)-scan.png"] == Fixture.png)
            #expect(files.keys.allSatisfy { !$0.contains("..") && !$0.hasPrefix("/") })
            #expect(manifest?["schema_version"] as? Int == 1)
            #expect((manifest?["entries"] as? [Any])?.count == 2)
            #expect((manifest?["assessments"] as? [Any])?.count == 1)
            #expect((manifest?["progress_records"] as? [Any])?.count == 1)
            #expect(
                (manifest?["forms"] as? [[String: Any]])?.map { $0["form_key"] as? String } == [
                    "kba", "progress-review",
                ]
            )
            #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !page.contains("<script>alert"))
            #expect(page.contains("a &amp; b") && page.contains("DM-controle zelfstandig."))
        }
    }

    @Test func afterTheWindowTheTraineeGets410AndACoordinatorExportsOnlyWithAReason() async throws {
        try await World.test { world in
            let portfolio = try await world.portfolio()
            _ = try await world.request(
                .post,
                "/v1/portfolios/\(portfolio)/entries",
                as: world.trainee,
                body: #"{"kind":"reflection","title":"Alleen voor mij","body":"concept"}"#
            )
            _ = try await world.sharedEntry()
            _ = try await world.request(
                .post,
                "/v1/people/\(world.trainee.id)/completion",
                as: world.coordinator,
                body: #"{"completed_at":"2026-11-01","outcome":"completed"}"#
            )
            let path = "/v1/portfolios/\(portfolio)/export"
            let within = try await world.request(.get, path, as: world.trainee)
            world.clock.set(ISO8601DateFormatter().date(from: "2027-05-02T10:00:00Z")!)
            let trainee = try await world.freshToken(email: "anna@dossier.test", role: .trainee)
            let coordinator = try await world.freshToken(email: "cora@dossier.test", role: .coordinator)
            for actor in [trainee, coordinator] { _ = try await world.request(.get, "/v1/me", as: actor) }
            let before = try await world.database.digest()

            let late = try await world.request(.get, path, as: trainee)
            let withoutReason = try await world.request(.get, path, as: coordinator)
            let unchanged = try await world.database.digest() == before
            let withReason = try await world.request(
                .get,
                path,
                as: coordinator,
                headers: [HTTPField.Name("X-Access-Reason")!: "Bezwaarprocedure 2027-03"]
            )

            #expect(within.status == .ok)
            #expect(late.status == .gone)
            #expect(try late.problem().detail?.contains("2027-05-01") == true)
            #expect(withoutReason.status == .forbidden)
            #expect(unchanged)
            #expect(withReason.status == .ok)
            let manifest =
                try JSONSerialization.jsonObject(with: Data(try #require(Self.unzip(withReason.body)["manifest.json"])))
                as? [String: Any]
            #expect((manifest?["entries"] as? [[String: Any]])?.map { $0["shared"] as? Bool } == [true])
            let rows = try await world.accessLogRows(about: world.trainee.id).filter { $0.action == "E" }
            #expect(rows.map(\.rule) == ["coordinator:stated-reason"])
        }
    }
}

extension ExportTests {
    @Test func aFileNamedAsAPageIsStoredAndExportedUnderItsSniffedTypesExtension() async throws {
        try await World.test { world in
            let portfolio = try await world.portfolio()
            let entry = try await world.sharedEntry()
            let pdf = Array("%PDF-1.4\n".utf8) + (0..<600).map { UInt8(truncatingIfNeeded: $0) }
            let disguised = try await world.upload(
                entry: entry,
                bytes: pdf,
                type: "application/pdf",
                name: "report.html"
            ).decode(API.Attachment.self)
            let honest = try await world.upload(
                entry: entry,
                bytes: Fixture.png,
                type: "image/png",
                name: "Scan.PNG"
            ).decode(API.Attachment.self)

            let download = try await world.request(
                .get,
                "/v1/attachments/\(disguised.id)/content",
                as: world.trainee
            )
            let files = try Self.unzip(
                try await world.request(.get, "/v1/portfolios/\(portfolio)/export", as: world.trainee).body
            )
            let page = String(decoding: try #require(files["index.html"]), as: UTF8.self)

            #expect(disguised.fileName == "report.html.pdf")
            #expect(honest.fileName == "Scan.PNG")
            #expect(download.headers[.contentType] == "application/pdf")
            #expect(download.headers[.contentDisposition] == "attachment; filename=\"report.html.pdf\"")
            #expect(files["attachments/\(disguised.id)-report.html.pdf"] == pdf)
            #expect(files["attachments/\(honest.id)-Scan.PNG"] == Fixture.png)
            let pages = files.keys.filter {
                [".html", ".htm", ".svg", ".js"].contains(where: $0.lowercased().hasSuffix)
            }
            #expect(pages == ["index.html"])
            #expect(page.contains("report.html.pdf"))
        }
    }
}
