import DossierAPI
import DossierCore
import DossierTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Testing

@Suite struct IPOActivityTests {
    @Test func activitiesFilterByDateSiteKindAndFreeSeatsWithSessionsInLocalTime() async throws {
        try await World.test { world in
            let december = try await world.ipoActivity(capacity: 1)
            let online = try await world.ipoActivity(
                title: "Palliatieve zorg online",
                kind: "mandatory_module",
                sessions: [("2027-01-12", "13:30", "16:00")]
            )
            _ = try await world.enroll(world.trainee, in: december.id)

            func ids(_ query: String) async throws -> [String] {
                try await world.request(.get, "/v1/ipo/activities?\(query)", as: world.narrowClient)
                    .decode(API.IpoActivityList.self).items.map(\.id)
            }
            let january = try await ids("from=2027-01-01&to=2027-01-31")
            let modules = try await ids("kind=mandatory_module")
            let free = try await ids("free_seats=true")
            let full = try await ids("free_seats=false")
            let open = try await ids("status=open")
            let session = try #require(online.sessions.first)

            #expect(january == [online.id] && modules == [online.id])
            #expect(free == [online.id] && full == [december.id])
            #expect(Set(open) == [december.id, online.id])
            #expect(session.date == "2027-01-12" && session.startTime == "13:30" && session.endTime == "16:00")
            #expect(RFC3339.string(from: session.startsAt) == "2027-01-12T12:30:00Z")
            #expect(online.cancellationDeadline < online.enrollmentClosesAt.addingTimeInterval(1))
            #expect(december.countsTowardRequirement && !december.waitlistRule.rawValue.isEmpty)
        }
    }

    @Test func aCoordinatorChangesSessionsUntilAttendanceAndCancelsWithAReasonEveryoneHears() async throws {
        try await World.test { world in
            let activity = try await world.ipoActivity()
            let etag = try await IPOEnrollmentTests.etag(world, activity.id)
            let moved = try await world.request(
                .patch,
                "/v1/ipo/activities/\(activity.id)",
                as: world.coordinator,
                body:
                    #"{"title":"Medicatieveiligheid (één dag)","sessions":[{"date":"2026-12-11","start_time":"09:00","end_time":"13:00","site":"den_haag"}]}"#,
                headers: Fixture.mergePatch(ifMatch: etag)
            )
            let byTrainee = try await world.request(
                .patch,
                "/v1/ipo/activities/\(activity.id)",
                as: world.trainee,
                body: #"{"title":"x"}"#,
                headers: Fixture.mergePatch(ifMatch: moved.headers[.eTag] ?? "")
            )
            _ = try await world.enroll(world.trainee, in: activity.id)
            let session = try moved.decode(API.IpoActivity.self).sessions[0].id
            try await world.advance(by: 19 * 86_400, using: [world.coordinator])
            _ = try await world.request(
                .post,
                "/v1/ipo/activities/\(activity.id)/sessions/\(session)/attendance",
                as: world.coordinator,
                body: #"{"records":[{"person_id":"\#(world.trainee.id)","attended":true}]}"#
            )
            let locked = try await world.request(
                .patch,
                "/v1/ipo/activities/\(activity.id)",
                as: world.coordinator,
                body: #"{"sessions":[{"date":"2026-12-20","start_time":"09:00","end_time":"13:00","site":"leiden"}]}"#,
                headers: Fixture.mergePatch(ifMatch: try await IPOEnrollmentTests.etag(world, activity.id))
            )
            let later = try await world.ipoActivity(title: "Later", sessions: [("2027-02-01", "09:00", "12:00")])
            _ = try await world.enroll(world.otherTrainee, in: later.id)
            let cancelled = try await world.request(
                .post,
                "/v1/ipo/activities/\(later.id)/cancel",
                as: world.coordinator,
                body: #"{"reason":"De apothekersopleiding heeft geen studenten dit blok"}"#
            )
            let again = try await world.request(
                .post,
                "/v1/ipo/activities/\(later.id)/cancel",
                as: world.coordinator,
                body: #"{"reason":"Nogmaals"}"#
            )

            #expect(moved.status == .ok)
            let changed = try moved.decode(API.IpoActivity.self)
            #expect(changed.title == "Medicatieveiligheid (één dag)" && changed.sessions.map(\.site) == [.denHaag])
            #expect(moved.headers[.eTag] != etag)
            #expect(byTrainee.status == .forbidden)
            #expect(locked.status == .conflict)
            #expect(try locked.problem()._type == "https://dossier.example/problems/attendance-recorded")
            #expect(cancelled.status == .ok)
            let state = try cancelled.decode(API.IpoActivity.self)
            #expect(state.status == .cancelled && state.cancellationReason?.hasPrefix("De apothekers") == true)
            #expect(again.status == .conflict)
            #expect(try await IPOEnrollmentTests.events(world) == ["activity_cancelled"])
        }
    }
}
