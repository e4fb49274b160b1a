import DossierAPI
import DossierCore
import Foundation
import HummingbirdTesting
import Testing

@Suite struct PortfolioTests {
    @Test func everyTraineeHasOnePortfolioThatTheirSupervisorsMayReadAndThatIsLogged() async throws {
        try await World.test { world in
            let own = try await world.request(.get, "/v1/people/\(world.trainee.id)/portfolio", as: world.trainee)
            let portfolio = try own.decode(API.Portfolio.self)
            let byID = try await world.request(.get, "/v1/portfolios/\(portfolio.id)", as: world.trainer)
            let former = try await world.request(.get, "/v1/portfolios/\(portfolio.id)", as: world.formerTrainer)
            let admin = try await world.request(.get, "/v1/portfolios/\(portfolio.id)", as: world.admin)
            let teacherless = try await world.request(
                .get,
                "/v1/people/\(world.teacher.id)/portfolio",
                as: world.coordinator
            )

            #expect(portfolio.traineeId == world.trainee.id)
            #expect(portfolio.status == .active)
            #expect(portfolio.policy.version == 1)
            #expect(portfolio.downloadUntil == nil)
            #expect(try byID.decode(API.Portfolio.self) == portfolio)
            #expect(former.status == .notFound)
            #expect(admin.status == .forbidden)
            #expect(teacherless.status == .notFound)
            let rows = try await world.accessLogRows(about: world.trainee.id).filter { $0.resource == "portfolio" }
            #expect(rows.map(\.rule) == ["supervisor:trainer"])
        }
    }

    @Test func theTraineeLosesAccessWhenTheDownloadWindowClosesAndStaffSeeItDue() async throws {
        try await World.test { world in
            _ = try await world.request(
                .post,
                "/v1/people/\(world.trainee.id)/completion",
                as: world.coordinator,
                body: #"{"completed_at":"2026-11-01","outcome":"completed"}"#
            )
            let path = "/v1/people/\(world.trainee.id)/portfolio"

            let during = try await world.request(.get, path, as: world.trainee).decode(API.Portfolio.self)
            world.clock.set(ISO8601DateFormatter().date(from: "2027-05-01T20:00:00Z")!)
            let trainee = try await world.freshToken(email: "anna@dossier.test", role: .trainee)
            let lastEvening = try await world.request(.get, path, as: trainee)
            world.clock.set(ISO8601DateFormatter().date(from: "2027-05-01T23:30:00Z")!)
            let lastDay = try await world.request(.get, path, as: trainee)
            world.clock.set(ISO8601DateFormatter().date(from: "2027-05-02T10:00:00Z")!)
            let closed = try await world.request(.get, path, as: trainee)
            let coordinator = try await world.freshToken(email: "cora@dossier.test", role: .coordinator)
            let staff = try await world.request(.get, path, as: coordinator).decode(API.Portfolio.self)
            world.clock.set(ISO8601DateFormatter().date(from: "2028-11-02T10:00:00Z")!)
            let later = try await world.freshToken(email: "cora@dossier.test", role: .coordinator)
            let due = try await world.request(.get, path, as: later).decode(API.Portfolio.self)

            #expect(during.status == .downloadable)
            #expect(during.downloadUntil == "2027-05-01")
            #expect(during.deleteAfter == "2028-11-01")
            // 22:00 in Amsterdam on 1 May is still the last day; 23:30 UTC is already 2 May there.
            #expect(lastEvening.status == .ok)
            #expect(lastDay.status == .gone)
            #expect(closed.status == .gone)
            #expect(try closed.problem()._type == "https://dossier.example/problems/download-window-closed")
            #expect(
                try closed.problem().detail
                    == "Your download window closed on 2027-05-01; the portfolio is no longer available to you."
            )
            #expect(staff.status == .closed)
            #expect(due.status == .due)
        }
    }
}
