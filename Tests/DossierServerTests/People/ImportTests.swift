import DossierAPI
import DossierTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@Suite struct ImportTests {

    /// 40 rows: line 1 is the header, lines 2-38 are new trainees, plus Anna (renamed, a year further) and Bram
    /// (unchanged).
    static func file(badLine37: Bool = false) -> String {
        var csv = Fixture.peopleCSVHeader
        for line in 2...38 {
            let date = badLine37 && line == 37 ? "2025-13-01" : "2025-09-01"
            csv += "Trainee \(line),t\(line)@dossier.test,trainee,\(date),2028-09-01,1,den_haag,\n"
        }
        csv += "Anna Jansen,ANNA@dossier.test,trainee,2025-03-01,2028-03-01,3,leiden,\n"
        csv += "Bram Aios,bram@dossier.test,trainee,2025-03-01,2028-03-01,2,leiden,\n"
        return csv
    }

    @Test func aDryRunReportsAndChangesNothingThenTheImportUpserts() async throws {
        try await World.test { world in
            let before = try await world.database.digest()

            let dry = try await world.request(
                .post,
                "/v1/people:import?dry_run=true",
                as: world.admin,
                body: Self.file(),
                headers: Fixture.csvType
            )
            #expect(dry.status == .ok)
            let preview = try dry.decode(API.PeopleImportReport.self)
            #expect(try await world.database.digest() == before)

            let real = try await world.request(
                .post,
                "/v1/people:import",
                as: world.admin,
                body: Self.file(),
                headers: Fixture.csvType
            )
            let report = try real.decode(API.PeopleImportReport.self)

            #expect(preview.dryRun && !report.dryRun)
            #expect([preview.created, preview.updated, preview.unchanged] as [Int] == [37, 1, 1])
            #expect([report.created, report.updated, report.unchanged] as [Int] == [37, 1, 1])
            #expect(report.rows.first { $0.line == 39 }?.id == world.trainee.id)
            let anna = try await world.request(.get, "/v1/people/\(world.trainee.id)", as: world.admin).decode(
                API.Person.self
            )
            // An existing person keeps their name; the feed changes the training year.
            #expect(anna.name == "Anna Aios")
            #expect(anna.trainee?.trainingYear == 3)
            #expect(anna.email == "anna@dossier.test")
            let log = try await world.accessLogRows(about: world.trainee.id)
            #expect(log.map(\.action) == ["C", "U", "R"])
            #expect(log.dropFirst().allSatisfy { $0.actor == world.admin.id && $0.rule == "admin" })
            #expect(try await world.accessLogRows(about: report.rows[0].id ?? "").map(\.action) == ["C"])
        }
    }

    @Test(arguments: [
        (ImportTests.file(badLine37: true), 422, ["/rows/37/start_date"]),
        ("naam;email\n", 422, ["/rows/1"]),
        (
            Fixture.peopleCSVHeader + "A,a@dossier.test,wizard,,,,,\nB,a@dossier.test,teacher,,,,,\n", 422,
            ["/rows/2/roles/0", "/rows/3/email"]
        ),
    ])
    func aBadFileImportsNothingAndNamesEveryBadLine(csv: String, status: Int, pointers: [String]) async throws {
        try await World.test { world in
            let before = try await world.database.digest()

            let response = try await world.request(
                .post,
                "/v1/people:import",
                as: world.admin,
                body: csv,
                headers: Fixture.csvType
            )

            #expect(Int(response.status.code) == status)
            #expect(try response.problem().errors?.map(\.pointer) == pointers)
            #expect(try await world.database.digest() == before)
        }
    }

    @Test func tenMegabytesOfGarbageAreRefusedBeforeReading() async throws {
        try await World.test { world in
            let before = try await world.database.digest()
            var garbage = [UInt8](repeating: 0, count: 10 << 20)
            for index in garbage.indices { garbage[index] = UInt8(truncatingIfNeeded: index &* 2_654_435_761 >> 13) }
            var headers = Fixture.csvType
            headers[.authorization] = "Bearer \(world.admin.token)"
            headers[.contentLength] = String(garbage.count)

            let response = try await world.client.execute(
                uri: "/v1/people:import",
                method: .post,
                headers: headers,
                body: ByteBuffer(bytes: garbage)
            )

            #expect(response.status == .contentTooLarge)
            #expect(
                try response.problem().detail
                    == "The request body is larger than this operation's limit of 4 MiB (4194304 bytes)."
            )
            #expect(try await world.database.digest() == before)
        }
    }

    @Test func onlyAdminsAndServiceClientsWithPeopleWriteImport() async throws {
        try await World.test { world in
            let coordinator = try await world.request(
                .post,
                "/v1/people:import",
                as: world.coordinator,
                body: Fixture.peopleCSVHeader,
                headers: Fixture.csvType
            )
            let json = try await world.request(.post, "/v1/people:import", as: world.admin, body: "{}")

            #expect(coordinator.status == .forbidden)
            #expect(json.status == .unsupportedMediaType)
        }
    }
}
