import DossierCore
import Foundation
import Logging
import ServiceLifecycle

/// What one job kind does; it calls a Core service, never an HTTP handler.
public typealias JobHandler = @Sendable (Job) async throws -> Void

/// Timings and per-queue concurrency of a worker replica (worker.md 6.1).
public struct WorkerSettings: Sendable {
    public var concurrency: [Job.Queue: Int] = [.default: 2, .retention: 1, .mail: 1]
    /// Concurrent SMTP sends per replica (worker.md 6.5: volume is low, be gentle with the relay).
    public var mailSenders = 2
    /// A claimed job unheard of this long is rescued by another replica.
    public var lease: Duration = .seconds(60)
    public var pollInterval: Duration = .seconds(2)
    public var tickInterval: Duration = .seconds(30)
    /// On SIGTERM, running jobs get this long before they are handed back to the queue.
    public var shutdownGrace: Duration = .seconds(20)
    /// After downtime a schedule catches up on the slots of this window once, never N times.
    public var catchUp: TimeInterval = 86_400

    public init() {}

    var heartbeat: Duration { lease / 4 }
}

/// One `dossier worker` replica: the leaderless scheduler, the job runners, rescue of expired
/// leases and a heartbeat. Any number of replicas may run against one database; PostgreSQL's
/// unique indexes and SKIP LOCKED claims decide who does what.
public final class Worker: Service, Sendable {
    public let id: UUID
    private let database: Database
    private let clock: any WallClock
    private let schedules: [Schedule]
    private let handlers: [String: JobHandler]
    private let settings: WorkerSettings
    private let failpoints: Failpoints
    private let metrics: WorkerMetrics
    private let logger: Logger
    private let queue = JobQueue()
    private let stopping = WakeSignal()
    private let doorbells: [Job.Queue: WakeSignal]
    /// Rung by a notification on the outbox's channel and by the rescuer.
    private let mailDoorbell = WakeSignal()
    private let startupCheck: @Sendable () async throws -> Void
    private let mail: MailDelivery?
    private let outbox: OutboxService

    public init(
        id: UUID = UUID(),
        database: Database,
        clock: any WallClock,
        schedules: [Schedule] = Schedule.standard,
        handlers: [String: JobHandler],
        settings: WorkerSettings = WorkerSettings(),
        failpoints: Failpoints = .disabled,
        metrics: WorkerMetrics = WorkerMetrics(),
        logger: Logger,
        mail: MailDelivery? = nil,
        startupCheck: @escaping @Sendable () async throws -> Void = {}
    ) {
        self.startupCheck = startupCheck
        self.mail = mail
        self.outbox = OutboxService(database: database, clock: clock, logger: logger)
        self.id = id
        self.database = database
        self.clock = clock
        self.schedules = schedules
        self.handlers = handlers
        self.settings = settings
        self.failpoints = failpoints
        self.metrics = metrics
        var logger = logger
        logger[metadataKey: "worker_id"] = "\(id)"
        self.logger = logger
        self.doorbells = Dictionary(uniqueKeysWithValues: Job.Queue.allCases.map { ($0, WakeSignal()) })
    }

    // MARK: One pass, for tests and the CLI

    /// One pass of everything a replica does, with no waiting: write due schedule slots, rescue
    /// expired leases, run every available job until the queues are empty, then send the mail
    /// that is due. Returns how many jobs ran.
    @discardableResult
    public func runOnce() async throws -> Int {
        try await tick()
        try await rescue()
        var ran = 0
        for queue in Job.Queue.allCases {
            while let job = try await claim(queue) {
                await run(job)
                ran += 1
            }
        }
        if let mail {
            while try await mail.deliverNext() {}
        }
        return ran
    }

    /// Writes the slots that are due; the first replica to insert a slot enqueues its job.
    public func tick() async throws {
        let now = clock.now()
        for schedule in schedules {
            for slot in schedule.dueSlots(now: now, catchUp: settings.catchUp) {
                let job = try await database.transaction { try await queue.enqueue(slot: slot, of: schedule, on: $0) }
                if let job {
                    logger.info(
                        "schedule slot enqueued",
                        metadata: ["schedule": "\(schedule.name)", "slot": "\(slot.key)", "job_id": "\(job)"]
                    )
                }
            }
        }
    }

    /// Returns jobs and mail of dead workers to their queues (one replica per pass); mail that
    /// had passed the final dot goes to `unknown` instead.
    public func rescue() async throws {
        if let mail = try await outbox.rescueExpired(), mail.pending + mail.unknown > 0 {
            metrics.rescuedMail(pending: mail.pending, unknown: mail.unknown)
            logger.warning(
                "rescued mail with expired leases",
                metadata: ["pending": "\(mail.pending)", "unknown": "\(mail.unknown)"]
            )
            mailDoorbell.ring()
        }
        guard let rescued = try await database.transaction({ try await queue.rescueExpired(on: $0) }), rescued > 0
        else { return }
        metrics.rescued(rescued)
        logger.warning("rescued jobs with expired leases", metadata: ["count": "\(rescued)"])
        for doorbell in doorbells.values { doorbell.ring() }
    }

    private func claim(_ queue: Job.Queue) async throws -> Job? {
        try await database.transaction { connection in
            try await self.queue.claim(queue: queue, limit: 1, worker: id, lease: settings.lease, on: connection)
        }.first
    }

    // MARK: Running a job

    private enum Outcome {
        case finished
        case failed(String)
        case leaseLost
        case shutDown
    }

    private struct LeaseLost: Error {}
    private struct ShutDown: Error {}

    /// Runs the job outside any transaction while a heartbeat extends its lease; the finish is
    /// fenced on (worker, attempt), so a replica that lost the job cannot overwrite its new owner.
    private func run(_ job: Job) async {
        var logger = logger
        logger[metadataKey: "job_id"] = "\(job.id)"
        logger[metadataKey: "kind"] = "\(job.kind)"
        // Crash tests park here, after the claim committed and before any work: kill -9 leaves a
        // running job with a lease that only the rescuer can end.
        await failpoints.reach("job.claimed")
        await failpoints.reach("job.claimed.\(job.kind)")
        let outcome = await perform(job)
        do {
            var recorded = true
            switch outcome {
            case .finished:
                recorded = try await database.transaction { try await queue.succeed(job, worker: id, on: $0) }
                metrics.finished(job, state: "succeeded")
                logger.info("job succeeded", metadata: ["attempt": "\(job.attempt)"])
            case .failed(let error):
                recorded = try await database.transaction {
                    try await queue.fail(job, worker: id, error: error, on: $0)
                }
                let dead = job.attempt >= job.maxAttempts
                metrics.finished(job, state: dead ? "dead" : "retried")
                logger.error(
                    "job failed",
                    metadata: ["attempt": "\(job.attempt)", "dead": "\(dead)", "error": "\(error)"]
                )
            case .leaseLost:
                logger.warning("job lease lost to the rescuer; its work stopped")
            case .shutDown:
                recorded = try await database.transaction { try await queue.release(job, worker: id, on: $0) }
                logger.info("job handed back at shutdown")
            }
            if !recorded { logger.warning("job outcome not recorded: another replica rescued it meanwhile") }
        } catch {
            // The lease expires and the rescuer takes the job back; nothing is lost.
            logger.error("could not record the job's outcome", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    private func perform(_ job: Job) async -> Outcome {
        guard let handler = handlers[job.kind] else { return .failed("no handler for job kind \(job.kind)") }
        return await withTaskGroup(of: Outcome?.self) { group in
            group.addTask {
                do {
                    try await handler(job)
                    return .finished
                } catch is CancellationError {
                    return nil
                } catch {
                    return .failed(String(describing: error))
                }
            }
            group.addTask { await self.heartbeat(job) }
            group.addTask {
                // At shutdown the job gets the grace period, then it is handed back.
                while !self.stopping.isLatched {
                    await self.stopping.wait(timeout: .seconds(3600))
                    if Task.isCancelled { return nil }
                }
                try? await Task.sleep(for: self.settings.shutdownGrace)
                return Task.isCancelled ? nil : .shutDown
            }
            var outcome: Outcome = .shutDown
            for await result in group {
                if let result {
                    outcome = result
                    break
                }
            }
            group.cancelAll()
            return outcome
        }
    }

    private func heartbeat(_ job: Job) async -> Outcome? {
        while !Task.isCancelled {
            try? await Task.sleep(for: settings.heartbeat)
            if Task.isCancelled { return nil }
            let kept = try? await database.transaction {
                try await queue.heartbeat(job, worker: id, lease: settings.lease, on: $0)
            }
            if kept == false { return .leaseLost }
        }
        return nil
    }

    // MARK: The service

    public func run() async throws {
        try await startupCheck()
        try await database.transaction { connection in
            try await queue.registerInstance(
                id,
                hostname: ProcessInfo.processInfo.hostName,
                pid: Int(ProcessInfo.processInfo.processIdentifier),
                version: "1",
                on: connection
            )
        }
        logger.info("worker started")
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { background in
                background.addTask {
                    await self.every(self.settings.tickInterval, "schedule") { try await self.tick() }
                }
                background.addTask {
                    await self.every(min(.seconds(30), self.settings.lease), "rescue") { try await self.rescue() }
                }
                background.addTask {
                    await self.every(self.settings.heartbeat, "heartbeat") {
                        try await self.database.transaction { try await self.queue.beat(self.id, on: $0) }
                    }
                }
                background.addTask { await self.listen() }
                await withTaskGroup(of: Void.self) { runners in
                    for (queue, count) in settings.concurrency {
                        for _ in 0..<count { runners.addTask { await self.runner(queue) } }
                    }
                    if let mail = self.mail {
                        for _ in 0..<self.settings.mailSenders { runners.addTask { await self.sender(mail) } }
                    }
                }
                background.cancelAll()
            }
        } onGracefulShutdown: {
            self.stopping.latch()
            for doorbell in self.doorbells.values { doorbell.latch() }
            self.mailDoorbell.latch()
        }
        try? await database.transaction { try await self.queue.beat(self.id, stopped: true, on: $0) }
        logger.info("worker stopped")
    }

    /// Claims and runs jobs of one queue until shutdown; waits for a wake-up or the poll interval
    /// when the queue is empty.
    private func runner(_ queue: Job.Queue) async {
        let doorbell = doorbells[queue] ?? WakeSignal()
        while !stopping.isLatched {
            do {
                if let job = try await claim(queue) {
                    await run(job)
                    continue
                }
            } catch {
                logger.error(
                    "claiming failed",
                    metadata: ["queue": "\(queue.rawValue)", "error": "\(String(reflecting: error))"]
                )
            }
            await doorbell.wait(timeout: settings.pollInterval)
        }
    }

    /// Sends due mail until shutdown. A send in progress finishes: SMTP has no safe point to
    /// stop at, and the final dot is the only one that matters.
    private func sender(_ mail: MailDelivery) async {
        while !stopping.isLatched {
            do {
                if try await mail.deliverNext() { continue }
            } catch {
                logger.error("sending mail failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            await mailDoorbell.wait(timeout: settings.pollInterval)
        }
    }

    private func every(_ interval: Duration, _ name: String, _ body: @Sendable () async throws -> Void) async {
        while !stopping.isLatched && !Task.isCancelled {
            do {
                try await body()
            } catch {
                logger.error("\(name) pass failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            await stopping.wait(timeout: interval)
        }
    }

    private func listen() async {
        while !stopping.isLatched && !Task.isCancelled {
            do {
                try await queue.listen(on: database.client) { [doorbells, mailDoorbell] queue in
                    doorbells[queue]?.ring()
                    if queue == .mail { mailDoorbell.ring() }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("LISTEN connection lost; polling until it is back", metadata: ["error": "\(error)"])
            }
            await stopping.wait(timeout: .seconds(5))
        }
    }
}
