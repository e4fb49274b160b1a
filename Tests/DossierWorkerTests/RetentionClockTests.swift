import DossierCore
import DossierTestSupport
import DossierWorker
import Foundation
import PostgresNIO
import Testing

@Suite("Retention by the worker's clock")
struct RetentionClockTests {
    @Test("A completion on 29 February 2024 is hidden from 15 February 2026 and purged on 1 March 2026")
    func aLeapDayCompletion() async throws {
        try await RetentionWorld.test { world in
            let leap = try await world.trainee("Lea Leap", completed: "2024-02-29")
            let worker = try world.worker()

            world.clock.set(ISO8601DateFormatter().date(from: "2026-02-14T12:00:00Z")!)
            try await worker.runOnce()
            #expect(try await world.state(of: leap) == (false, false))

            world.clock.set(ISO8601DateFormatter().date(from: "2026-02-15T12:00:00Z")!)
            try await worker.runOnce()
            #expect(try await world.state(of: leap) == (true, false))
            #expect(try await world.content(of: leap) == RetentionWorld.whole)

            world.clock.set(ISO8601DateFormatter().date(from: "2026-02-28T22:59:00Z")!)
            try await worker.runOnce()
            #expect(try await world.state(of: leap) == (true, false))

            world.clock.set(ISO8601DateFormatter().date(from: "2026-03-01T01:45:00Z")!)
            try await worker.runOnce()
            #expect(try await world.state(of: leap) == (true, true))
            #expect(try await world.content(of: leap) == 0)
        }
    }

    @Test(
        "On the DST days the worker writes one retention slot per local day",
        arguments: [
            ["2026-03-28T23:00:00Z", "2026-03-29T00:45:00Z", "2026-03-29T10:00:00Z", "2026-03-29T21:59:00Z"],
            ["2026-10-24T22:00:00Z", "2026-10-25T00:45:00Z", "2026-10-25T01:45:00Z", "2026-10-25T22:59:00Z"],
        ]
    )
    func dstDays(ticks: [String]) async throws {
        try await RetentionWorld.test { world in
            let worker = try world.worker()
            world.clock.set(ISO8601DateFormatter().date(from: ticks[0])!)
            try await worker.tick()
            let before = try await world.count(
                "SELECT count(*)::int FROM schedule_slots WHERE schedule = 'retention.plan'"
            )

            for tick in ticks.dropFirst() {
                world.clock.set(ISO8601DateFormatter().date(from: tick)!)
                try await worker.tick()
            }

            let day = String(ticks[3].prefix(10))
            #expect(
                try await world.count(
                    "SELECT count(*)::int FROM schedule_slots WHERE schedule = 'retention.plan' AND slot_key = \(day)"
                ) == 1
            )
            #expect(
                try await world.count("SELECT count(*)::int FROM schedule_slots WHERE schedule = 'retention.plan'")
                    == before + 1
            )
        }
    }
}
