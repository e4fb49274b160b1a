import DossierCore
import Testing

@Suite struct PeopleCSVTests {
    static let header = "name,email,roles,start_date,expected_end_date,training_year,site,group_id\n"

    @Test func quotedFieldsKeepCommasQuotesAndLineBreaks() throws {
        let csv =
            Self.header + "\"Jansen, Anna \"\"AJ\"\"\",anna@example.org,trainee,2025-03-01,2028-03-01,1,leiden,\r\n"
            + "\"Tom\nTrainer\",tom@example.org,trainer;teacher,,,,,\n"

        let rows = try PeopleCSV.parse(csv)

        #expect(rows.map(\.line) == [2, 3])
        #expect(rows[0].input.name == "Jansen, Anna \"AJ\"")
        #expect(rows[0].input.trainee?.trainingYear == 1)
        #expect(rows[1].input.name == "Tom\nTrainer")
        #expect(rows[1].input.roles == ["trainer", "teacher"])
        #expect(rows[1].input.trainee == nil)
    }

    @Test func aWrongHeaderIsLineOne() {
        #expect(throws: DossierError.self) { try PeopleCSV.parse("naam,email\nA,a@example.org\n") }
        let error = #expect(throws: DossierError.self) { try PeopleCSV.parse("\u{0}\u{7f}garbage") }
        #expect(error?.fieldErrors.map(\.pointer) == ["/rows/1"])
    }

    @Test func rowsWithTheWrongNumberOfFieldsAreReportedByLine() {
        let csv = Self.header + "A,a@example.org,teacher,,,,,\nB,b@example.org\nC,c@example.org,teacher,,,x,,\n"

        let error = #expect(throws: DossierError.self) { try PeopleCSV.parse(csv) }

        #expect(error?.fieldErrors.map(\.pointer) == ["/rows/3", "/rows/4/training_year"])
    }
}
