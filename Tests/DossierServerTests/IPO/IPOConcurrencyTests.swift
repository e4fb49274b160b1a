import DossierAPI
import DossierCore
import DossierTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Testing

/// The seats of an activity under requests that really arrive at once: each on its own
/// connection to a server listening on a socket, all started together.
@Suite struct IPOConcurrencyTests {
    @Test func aHundredSimultaneousEnrollmentsForTenSeatsGiveTenSeatsAndNinetyPlacesWithoutGaps() async throws {
        try await World.test(.live) { world in
            let port = try #require(world.client.port)
            let trainees = try await world.trainees(100)
            let activity = try await world.ipoActivity(capacity: 10)

            let results = try await Self.simultaneously(
                trainees.map { ($0.token, "/v1/ipo/activities/\(activity.id)/enrollments") },
                port: port
            )
            let after = try await world.ipoActivity(activity.id)
            let stored = try await Self.storedCounts(world, activity.id)

            #expect(results.map(\.status) == Array(repeating: .created, count: 100))
            let enrollments = try results.map { try Self.decode($0) }
            #expect(enrollments.filter { $0.status == .enrolled }.count == 10)
            let positions = enrollments.compactMap(\.position).sorted()
            #expect(positions == Array(1...90))
            #expect(Set(enrollments.map(\.personId)).count == 100)
            #expect(after.enrolled == 10 && after.waitlisted == 90)
            #expect(stored == ["enrolled": 10, "waitlisted": 90])
        }
    }

    @Test func twentySimultaneousCancellationsPromoteExactlyTwentyEachOnce() async throws {
        try await World.test(.live) { world in
            let port = try #require(world.client.port)
            let trainees = try await world.trainees(40)
            let activity = try await world.ipoActivity(capacity: 20)
            var enrollments: [String] = []
            for trainee in trainees {
                enrollments.append(try await world.enroll(trainee, in: activity.id).decode(API.IpoEnrollment.self).id)
            }
            let cancellations = zip(trainees, enrollments).prefix(20).map {
                ($0.0.token, "/v1/ipo/activities/\(activity.id)/enrollments/\($0.1)/cancel")
            }

            let results = try await Self.simultaneously(cancellations, port: port)
            let after = try await world.ipoActivity(activity.id)
            let promotions = try await world.database.withOwnerClient { client in
                var people: [String] = []
                let rows = try await client.query("SELECT person_id::text FROM ipo_events WHERE kind = 'promoted'")
                for try await person in rows.decode(String.self) { people.append(person) }
                return people
            }

            #expect(results.map(\.status) == Array(repeating: .ok, count: 20))
            #expect(after.enrolled == 20 && after.waitlisted == 0)
            #expect(promotions.count == 20)
            #expect(Set(promotions) == Set(trainees.suffix(20).map(\.id)))
            #expect(try await Self.storedCounts(world, activity.id) == ["enrolled": 20, "cancelled": 20])
        }
    }

    /// The capacity holds even for a write that skips the service and its lock.
    @Test func theDatabaseRefusesASeatBeyondTheCapacityWhoeverWritesIt() async throws {
        try await World.test { world in
            let activity = try await world.ipoActivity(capacity: 1)
            _ = try await world.enroll(world.trainee, in: activity.id)
            let refused = try await world.database.withOwnerClient { client in
                do {
                    try await client.query(
                        """
                        INSERT INTO ipo_enrollments (id, activity_id, person_id, status, requested_at, enrolled_at)
                        VALUES (gen_random_uuid(), \(UUID(uuidString: activity.id)!), \(UUID(uuidString: world.otherTrainee.id)!),
                                'enrolled', now(), now())
                        """
                    )
                    return ""
                } catch {
                    return ConstraintViolation(error)?.constraint ?? "\(error)"
                }
            }
            #expect(refused == "ipo_activities_capacity_holds")
            #expect(try await world.ipoActivity(activity.id).enrolled == 1)
        }
    }

    /// Sends each POST (with `{}`) on a connection of its own, all at once.
    static func simultaneously(
        _ requests: [(token: String, path: String)],
        port: Int
    ) async throws -> [TestClient.Response] {
        try await withThrowingTaskGroup(of: TestClient.Response.self) { group in
            for (token, path) in requests {
                group.addTask {
                    try await TestClient.withClient(host: "localhost", port: port) { client in
                        try await client.post(
                            path,
                            headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                            body: ByteBuffer(string: "{}")
                        )
                    }
                }
            }
            var responses: [TestClient.Response] = []
            for try await response in group { responses.append(response) }
            return responses
        }
    }

    static func decode(_ response: TestClient.Response) throws -> API.IpoEnrollment {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(API.IpoEnrollment.self, from: Data(buffer: response.body ?? ByteBuffer()))
    }

    /// The enrollments of the activity by status, as stored.
    static func storedCounts(_ world: World, _ activity: String) async throws -> [String: Int] {
        try await world.database.withOwnerClient { client in
            var counts: [String: Int] = [:]
            let rows = try await client.query(
                """
                SELECT status, count(*)::int FROM ipo_enrollments WHERE activity_id = \(UUID(uuidString: activity)!)
                GROUP BY status
                """
            )
            for try await (status, count) in rows.decode((String, Int).self) { counts[status] = count }
            return counts
        }
    }
}
