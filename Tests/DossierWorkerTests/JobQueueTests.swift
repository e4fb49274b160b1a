import DossierCore
import DossierTestSupport
import DossierWorker
import Foundation
import PostgresNIO
import ServiceLifecycleTestKit
import Synchronization
import Testing

@Suite("The job queue against PostgreSQL")
struct JobQueueTests {
    let queue = JobQueue()

    @Test("A failing job is retried after a backoff and is dead after its last attempt, with every error kept")
    func retriesThenDead() async throws {
        try await RetentionWorld.test { world in
            let worker = Worker(
                database: world.database,
                clock: world.clock,
                schedules: [],
                handlers: [
                    "test.fail": { _ in throw DossierError(.conflict, slug: .internalError, detail: "always fails") }
                ],
                logger: world.logger
            )
            let id = try #require(
                try await world.database.transaction {
                    try await queue.enqueue(NewJob(kind: "test.fail", maxAttempts: 2), on: $0)
                }
            )

            #expect(try await worker.runOnce() == 1)
            #expect(try await world.database.read { try await queue.state(of: id, on: $0) }! == (.available, 1))
            #expect(try await worker.runOnce() == 0)

            try await world.client.query("UPDATE jobs SET run_at = now() WHERE id = \(id)")
            #expect(try await worker.runOnce() == 1)
            #expect(try await world.database.read { try await queue.state(of: id, on: $0) }! == (.dead, 2))
            #expect(try await world.count("SELECT jsonb_array_length(errors)::int FROM jobs WHERE id = \(id)") == 2)
        }
    }

    @Test("A unique job is enqueued once however often it is asked for")
    func uniqueJobs() async throws {
        try await RetentionWorld.test { world in
            let job = NewJob.retentionExecute(.generate())
            let first = try await world.database.transaction { try await queue.enqueue(job, on: $0) }
            let second = try await world.database.transaction { try await queue.enqueue(job, on: $0) }

            #expect(first != nil && second == nil)
            #expect(try await world.count("SELECT count(*)::int FROM jobs") == 1)
        }
    }

    @Test("A rescued job's old worker can neither heartbeat nor finish it (fencing)")
    func fencing() async throws {
        try await RetentionWorld.test { world in
            let (zombie, successor) = (UUID(), UUID())
            _ = try await world.database.transaction { try await queue.enqueue(NewJob(kind: "job.prune"), on: $0) }
            let claimed = try await world.database.transaction {
                try await queue.claim(queue: .default, limit: 1, worker: zombie, lease: .seconds(60), on: $0)
            }
            let job = try #require(claimed.first)
            try await world.client.query("UPDATE jobs SET lease_until = now() - interval '1 second'")

            #expect(try await world.database.transaction { try await queue.rescueExpired(on: $0) } == 1)
            let reclaimed = try await world.database.transaction {
                try await queue.claim(queue: .default, limit: 1, worker: successor, lease: .seconds(60), on: $0)
            }
            let again = try #require(reclaimed.first)

            #expect(again.id == job.id && again.attempt == 2)
            #expect(
                !(try await world.database.transaction {
                    try await queue.heartbeat(job, worker: zombie, lease: .seconds(60), on: $0)
                })
            )
            #expect(!(try await world.database.transaction { try await queue.succeed(job, worker: zombie, on: $0) }))
            #expect(try await world.database.transaction { try await queue.succeed(again, worker: successor, on: $0) })
        }
    }

    @Test("Three replicas ticking at once write each schedule slot once and process every portfolio once")
    func threeReplicas() async throws {
        try await RetentionWorld.test { world in
            try await world.autoApprove(atMost: 100)
            var trainees: [RetentionWorld.Trainee] = []
            for index in 0..<12 { trainees.append(try await world.trainee("Due \(index)", completed: "2024-01-10")) }
            let workers = try [world.worker(), world.worker(), world.worker()]

            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in workers {
                    group.addTask {
                        for _ in 0..<3 { try await worker.tick() }
                    }
                }
                try await group.waitForAll()
            }
            #expect(
                try await world.count("SELECT count(*)::int FROM schedule_slots WHERE schedule = 'retention.plan'") == 1
            )
            #expect(try await world.count("SELECT count(*)::int FROM jobs WHERE kind = 'retention.plan'") == 1)
            #expect(
                try await world.count(
                    "SELECT count(*)::int FROM schedule_slots s JOIN jobs j ON j.id = s.job_id WHERE s.schedule = 'retention.plan'"
                ) == 1
            )

            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in workers { group.addTask { try await worker.runOnce() } }
                try await group.waitForAll()
            }
            #expect(try await world.count("SELECT count(*)::int FROM retention_runs") == 1)
            #expect(
                try await world.count(
                    "SELECT count(*)::int FROM disposal_log WHERE event = 'purged' GROUP BY subject_ref HAVING count(*) > 1"
                ) == 0
            )
            #expect(try await world.count("SELECT count(*)::int FROM disposal_log WHERE event = 'purged'") == 12)
            for trainee in trainees { #expect(try await world.content(of: trainee) == 0) }
        }
    }

    @Test("A graceful shutdown hands a running job back without using up an attempt")
    func gracefulShutdown() async throws {
        try await RetentionWorld.test { world in
            let started = Mutex(false)
            var settings = WorkerSettings()
            settings.shutdownGrace = .milliseconds(200)
            settings.pollInterval = .milliseconds(50)
            let worker = Worker(
                database: world.database,
                clock: world.clock,
                schedules: [],
                handlers: [
                    "test.slow": { _ in
                        started.withLock { $0 = true }
                        try await Task.sleep(for: .seconds(3600))
                    }
                ],
                settings: settings,
                logger: world.logger
            )
            let id = try #require(
                try await world.database.transaction { try await queue.enqueue(NewJob(kind: "test.slow"), on: $0) }
            )
            try await testGracefulShutdown { trigger in
                async let running: Void = worker.run()
                while !started.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(20)) }
                trigger.triggerGracefulShutdown()
                try await running
            }

            #expect(try await world.database.read { try await queue.state(of: id, on: $0) }! == (.available, 0))
        }
    }
}

@Suite("Housekeeping")
struct HousekeepingTests {
    @Test(
        "Pruning drops old finished jobs, expired idempotency keys and old plans' candidate lists, and keeps the rest"
    )
    func pruning() async throws {
        try await RetentionWorld.test { world in
            _ = try await world.trainee("Dora Due", completed: "2024-01-10")
            let old = try await world.retention.plan(.dryRun, by: .cli(world.admin))
            let recent = try await world.retention.plan(.dryRun, by: .cli(world.admin))
            try await world.client.query(
                "UPDATE retention_runs SET finished_at = finished_at - interval '91 days' WHERE id = \(old.id.uuid)"
            )
            for (state, age) in [("succeeded", 15), ("succeeded", 1), ("dead", 91), ("dead", 15)] {
                try await world.client.query(
                    """
                    INSERT INTO jobs (kind, state, finalized_at) VALUES ('job.prune', \(state), now() - make_interval(days => \(age)::int))
                    """
                )
            }
            try await world.client.query(
                """
                INSERT INTO idempotency_keys (principal, method, path, key, request_hash, created_at)
                VALUES ('p', 'POST', '/v1/people', 'old', sha256('x'::bytea), \(RetentionWorld.start.addingTimeInterval(-90_000))),
                       ('p', 'POST', '/v1/people', 'new', sha256('x'::bytea), \(RetentionWorld.start))
                """
            )

            try await Housekeeping(database: world.database, clock: world.clock, logger: world.logger).prune()

            #expect(try await world.count("SELECT count(*)::int FROM jobs") == 2)
            #expect(try await world.count("SELECT count(*)::int FROM idempotency_keys WHERE key = 'new'") == 1)
            #expect(try await world.count("SELECT count(*)::int FROM idempotency_keys") == 1)
            #expect(
                try await world.count("SELECT count(*)::int FROM retention_candidates WHERE run_id = \(old.id.uuid)")
                    == 0
            )
            #expect(
                try await world.count("SELECT count(*)::int FROM retention_candidates WHERE run_id = \(recent.id.uuid)")
                    == 1
            )
            #expect(try await world.retention.get(old.id, by: .shell).counts.purge == 1)
        }
    }
}
