import Crypto
import DossierAPI
import DossierCore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@Suite struct AttachmentTests {
    @Test func aFileStreamsInWithChecksumsAndOutWholeOrByRange() async throws {
        try await World.test { world in
            let entry = try await world.sharedEntry()
            // Two and a half chunks, so ranges cross chunk boundaries.
            let bytes = Fixture.png + (0..<(5 << 19)).map { UInt8(truncatingIfNeeded: $0 &* 31 >> 3) }

            let created = try await world.upload(
                entry: entry,
                bytes: bytes,
                type: "image/png",
                name: "..%2Fetc%2Fscan.png"
            )
            let attachment = try created.decode(API.Attachment.self)
            let path = "/v1/attachments/\(attachment.id)/content"
            let whole = try await world.request(.get, path, as: world.trainer)
            let middle = try await world.request(
                .get,
                path,
                as: world.trainer,
                headers: [.range: "bytes=1048570-1048585"]
            )
            let tail = try await world.request(.get, path, as: world.trainee, headers: [.range: "bytes=-4"])
            let past = try await world.request(
                .get,
                path,
                as: world.trainer,
                headers: [.range: "bytes=\(bytes.count)-"]
            )
            let listed = try await world.request(.get, "/v1/entries/\(entry)/attachments", as: world.trainer).decode(
                API.AttachmentList.self
            )

            #expect(created.status == .created)
            #expect(attachment.fileName == "scan.png")
            #expect(attachment.size == Int64(bytes.count))
            #expect(attachment.sha256 == SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined())
            var crc = CRC32()
            crc.update(bytes)
            #expect(attachment.crc32 == Int64(crc.value))
            #expect(Array(buffer: whole.body) == bytes)
            #expect(whole.headers[.contentType] == "image/png")
            #expect(whole.headers[.contentDisposition] == #"attachment; filename="scan.png""#)
            #expect(whole.headers[.init("X-Content-Type-Options")!] == "nosniff")
            #expect(whole.headers[.eTag] == "\"\(attachment.sha256)\"")
            #expect(middle.status == .partialContent)
            #expect(Array(buffer: middle.body) == Array(bytes[1_048_570...1_048_585]))
            #expect(middle.headers[.contentRange] == "bytes 1048570-1048585/\(bytes.count)")
            #expect(Array(buffer: tail.body) == Array(bytes.suffix(4)))
            #expect(past.status == .rangeNotSatisfiable)
            #expect(try past.problem()._type == "https://dossier.example/problems/range-not-satisfiable")
            #expect(listed.items == [attachment])
            let chunks = try await world.database.withOwnerClient { client in
                try await client.query("SELECT count(*)::int FROM attachment_chunks").collect().first?.decode(Int.self)
            }
            #expect(chunks == 3)
            let rows = try await world.accessLogRows(about: world.trainee.id).filter {
                $0.resource.hasPrefix("attachment")
            }
            #expect(rows.count == 4)  // whole, range, 416 and list by the trainer; the trainee's own read is not logged
            #expect(rows.allSatisfy { $0.actor == world.trainer.id })
        }
    }

    @Test(arguments: [
        ("application/pdf", Fixture.png, true, 415, "content-type-mismatch"),
        ("text/plain", Array("<!DOCTYPE html><script>alert(1)</script>".utf8), true, 415, "content-type-mismatch"),
        ("image/svg+xml", Array("<svg/>".utf8), true, 415, "unsupported-media-type"),
        ("image/png", Fixture.png + [UInt8](repeating: 1, count: 2048), true, 413, "content-too-large"),
        ("image/png", Fixture.png + [UInt8](repeating: 1, count: 2048), false, 413, "content-too-large"),
    ])
    func aRefusedUploadLeavesNothingBehind(
        type: String,
        bytes: [UInt8],
        announce: Bool,
        status: Int,
        slug: String
    ) async throws {
        try await World.test(attachmentLimits: AttachmentLimits(document: 2048, video: 4096)) { world in
            let entry = try await world.sharedEntry()
            let before = try await world.database.digest()

            let response = try await world.upload(
                entry: entry,
                bytes: bytes,
                type: type,
                announceLength: announce
            )

            #expect(Int(response.status.code) == status)
            #expect(try response.problem()._type == "https://dossier.example/problems/\(slug)")
            #expect(try await world.database.digest() == before)
        }
    }

    @Test func nobodyAttachesToSomeoneElsesEntryOrReadsADraftsFiles() async throws {
        try await World.test { world in
            let entry = try await world.sharedEntry()
            let before = try await world.database.digest()

            let other = try await world.upload(
                entry: entry,
                bytes: Fixture.png,
                type: "image/png",
                as: world.otherTrainee
            )
            let trainer = try await world.upload(
                entry: entry,
                bytes: Fixture.png,
                type: "image/png",
                as: world.trainer
            )

            #expect(other.status == .notFound)
            #expect(trainer.status == .forbidden)
            #expect(try await world.database.digest() == before)
            let missing = try await world.request(.get, "/v1/attachments/\(UUID())/content", as: world.trainee)
            #expect(missing.status == .notFound)
        }
    }
}
