import DossierCore
import Foundation
import Testing

@Suite struct IdentifierTests {
    @Test func generatedIDsAreVersion7AndStrictlyIncreasing() {
        let ids = (0..<10_000).map { _ in PersonID.generate() }

        #expect(zip(ids, ids.dropFirst()).allSatisfy { $0 < $1 })
        #expect(ids.allSatisfy { $0.description.dropFirst(14).first == "7" })
    }

    @Test func idsAreWrittenInTheCanonicalLowerCaseForm() throws {
        let edges = ["00000000-0000-0000-0000-000000000000", "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF"]
        let uuids = try edges.map { try #require(UUID(uuidString: $0)) } + (0..<1_000).map { _ in UUID() }

        #expect(uuids.allSatisfy { $0.lowercasedString == $0.uuidString.lowercased() })
        #expect(uuids.allSatisfy { UUID(uuidString: $0.lowercasedString) == $0 })
    }

    @Test func calendarDatesAreStrict() {
        #expect(CalendarDate("2024-02-29")?.description == "2024-02-29")
        #expect(CalendarDate("2023-02-29") == nil)
        #expect(CalendarDate("2024-2-9") == nil)
        #expect(CalendarDate("2024-02-29T00:00:00Z") == nil)
    }

    @Test func todayIsTakenInAmsterdam() {
        let lateEvening = ISO8601DateFormatter().date(from: "2026-06-30T22:30:00Z")!

        #expect(CalendarDate(lateEvening).description == "2026-07-01")
    }

    @Test func cursorsRoundTripAndRefuseTampering() throws {
        let codec = CursorCodec(
            secretKey: try #require(SecretKey(base64: Data(repeating: 3, count: 32).base64EncodedString()))
        )
        let id = UUID()
        let cursor = codec.encode(id)

        #expect(try codec.decode(cursor) == id)
        var tampered = Array(cursor)
        tampered[3] = tampered[3] == "A" ? "B" : "A"
        #expect(throws: DossierError.self) { try codec.decode(String(tampered)) }
        #expect(throws: DossierError.self) { try codec.decode("not-a-cursor") }
    }
}
