import DossierCore
import Testing

@Suite struct PortfolioWindowsTests {
    static let policy = RetentionPolicy(id: "default", version: 1, keepMonths: 24, downloadMonths: 6, graceDays: 14)

    @Test(arguments: [
        ("2024-02-29", "2024-08-29", "2026-02-28"),
        ("2025-08-31", "2026-02-28", "2027-08-31"),
        ("2026-03-29", "2026-09-29", "2028-03-29"),
        ("2026-10-25", "2027-04-25", "2028-10-25"),
        ("2025-12-31", "2026-06-30", "2027-12-31"),
    ])
    func windowsAddTheMonthsOfThePolicyClampingMonthEnds(
        completed: String,
        downloadUntil: String,
        deleteAfter: String
    ) throws {
        let windows = PortfolioWindows(completedAt: try #require(CalendarDate(completed)), policy: Self.policy)

        #expect(windows.downloadUntil.description == downloadUntil)
        #expect(windows.deleteAfter.description == deleteAfter)
    }

    @Test func theStatusFollowsTheWindowsWithBothEndsInclusive() throws {
        let completed = try #require(CalendarDate("2025-01-15"))
        func status(_ today: String) -> PortfolioStatus {
            PortfolioWindows.status(completedAt: completed, policy: Self.policy, today: CalendarDate(today)!)
        }

        #expect(
            PortfolioWindows.status(completedAt: nil, policy: Self.policy, today: CalendarDate("2030-01-01")!)
                == .active
        )
        #expect(status("2025-07-15") == .downloadable)
        #expect(status("2025-07-16") == .closed)
        #expect(status("2027-01-15") == .closed)
        #expect(status("2027-01-16") == .due)
    }
}
