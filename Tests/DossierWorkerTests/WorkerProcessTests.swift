import DossierCore
import DossierTestSupport
import Foundation
import PostgresNIO
import Testing

/// The worker as a separate process, killed with SIGKILL exactly at a failpoint: what survives a
/// crash is what PostgreSQL committed, and the rescuer of another replica finishes the work.
@Suite("The worker process, killed at its steps")
struct WorkerProcessTests {
    static let secret = Data(repeating: 42, count: 32).base64EncodedString()

    static func environment(_ world: RetentionWorld, failpoint: String? = nil) -> [String: String] {
        var environment = [
            "DATABASE_URL": world.testDatabase.appURL.text, "DOSSIER_SECRET_KEY": secret,
            "MIGRATIONS_DIR": PackagePaths.migrations, "WORKER_HTTP_PORT": "0", "WORKER_LEASE_SECONDS": "2",
            "LOG_FORMAT": "json", "DOSSIER_ENV": "test", "DOSSIER_CLOCK": "2026-11-23T10:00:00Z",
        ]
        if let failpoint { environment["DOSSIER_FAILPOINTS"] = failpoint }
        return environment
    }

    /// Starts a worker parked at `failpoint`, kills it there with SIGKILL.
    static func crash(_ world: RetentionWorld, at failpoint: String) async throws {
        let worker = try DossierProcess(["worker"], environment: environment(world, failpoint: failpoint))
        try await worker.waitForOutput(containing: "failpoint reached: \(failpoint)")
        worker.send(SIGKILL)
        _ = try await worker.waitForExit()
        #expect(worker.endedBySignal)
    }

    /// A healthy replica that runs until `done` holds, then stops with SIGTERM (exit 0).
    static func recover(_ world: RetentionWorld, until done: @Sendable () async throws -> Bool) async throws {
        let worker = try DossierProcess(["worker"], environment: environment(world))
        let deadline = ContinuousClock.now + .seconds(60)
        while try await !done() {
            guard ContinuousClock.now < deadline else {
                Issue.record("the recovering worker did not finish: \(worker.standardOutput.suffix(2000))")
                break
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        worker.send(SIGTERM)
        #expect(try await worker.waitForExit() == 0)
    }

    @Test("Killed during a job: the job is rescued and runs again on another replica")
    func killedDuringAJob() async throws {
        try await RetentionWorld.test { world in
            try await Self.crash(world, at: "job.claimed.job.prune")
            #expect(
                try await world.count("SELECT count(*)::int FROM jobs WHERE kind = 'job.prune' AND state = 'running'")
                    == 1
            )

            try await Self.recover(world) {
                try await world.count(
                    "SELECT count(*)::int FROM jobs WHERE kind = 'job.prune' AND state = 'succeeded' AND attempt = 2"
                ) == 1
            }
            #expect(
                try await world.count(
                    "SELECT count(*)::int FROM jobs WHERE kind = 'job.prune' AND errors::text LIKE '%lease expired%'"
                ) == 1
            )
        }
    }

    @Test("Killed during a plan: no half plan exists, and the rescued job plans once")
    func killedDuringAPlan() async throws {
        try await RetentionWorld.test { world in
            let due = try await world.trainee("Dora Due", completed: "2024-01-10")

            try await Self.crash(world, at: "retention.plan.after-candidates")

            #expect(try await world.count("SELECT count(*)::int FROM retention_runs") == 0)
            #expect(try await world.count("SELECT count(*)::int FROM retention_candidates") == 0)
            #expect(try await world.count("SELECT count(*)::int FROM disposal_log") == 0)
            #expect(try await world.content(of: due) == RetentionWorld.whole)
            try await Self.recover(world) {
                try await world.count("SELECT count(*)::int FROM retention_runs WHERE status = 'done'") == 1
            }
            #expect(try await world.count("SELECT count(*)::int FROM retention_runs") == 1)
            #expect(try await world.content(of: due) == 0)
        }
    }

    @Test("Killed during a purge: the portfolio is whole, then fully gone once a replica finishes the run")
    func killedDuringAPurge() async throws {
        try await RetentionWorld.test { world in
            let due = try await world.trainee("Dora Due", completed: "2024-01-10")
            let other = try await world.trainee("Egon Due", completed: "2024-02-10")

            try await Self.crash(world, at: "retention.purge.before-commit")

            let afterCrash = [try await world.content(of: due), try await world.content(of: other)]
            #expect(
                afterCrash.sorted() == [RetentionWorld.whole, RetentionWorld.whole]
                    || afterCrash.sorted() == [0, RetentionWorld.whole]
            )
            for trainee in [due, other] {
                let (content, state) = (try await world.content(of: trainee), try await world.state(of: trainee))
                #expect((content == RetentionWorld.whole && !state.disposed) || (content == 0 && state.disposed))
            }
            try await Self.recover(world) {
                try await world.count("SELECT count(*)::int FROM retention_runs WHERE status = 'done'") == 1
            }
            for trainee in [due, other] {
                #expect(try await world.content(of: trainee) == 0)
                #expect(try await world.state(of: trainee).disposed)
            }
            #expect(try await world.count("SELECT count(*)::int FROM disposal_log WHERE event = 'purged'") == 2)
            #expect(try await world.executor.verify().broken == nil)
        }
    }

    @Test("Three worker processes: each schedule slot runs once and no portfolio is processed twice")
    func threeReplicas() async throws {
        try await RetentionWorld.test { world in
            try await world.autoApprove(atMost: 100)
            var trainees: [RetentionWorld.Trainee] = []
            for index in 0..<15 { trainees.append(try await world.trainee("Due \(index)", completed: "2024-01-10")) }

            let workers = try (0..<3).map { _ in try DossierProcess(["worker"], environment: Self.environment(world)) }
            let deadline = ContinuousClock.now + .seconds(60)
            while try await world.count("SELECT count(*)::int FROM retention_runs WHERE status = 'done'") < 1 {
                guard ContinuousClock.now < deadline else { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            for worker in workers { worker.send(SIGTERM) }
            for worker in workers { #expect(try await worker.waitForExit() == 0) }

            #expect(
                try await world.count("SELECT count(*)::int FROM schedule_slots WHERE schedule = 'retention.plan'") == 1
            )
            #expect(try await world.count("SELECT count(*)::int FROM jobs WHERE kind = 'retention.plan'") == 1)
            #expect(try await world.count("SELECT count(*)::int FROM retention_runs") == 1)
            #expect(
                try await world.count(
                    "SELECT count(DISTINCT subject_ref)::int FROM disposal_log WHERE event = 'purged'"
                ) == 15
            )
            #expect(try await world.count("SELECT count(*)::int FROM disposal_log WHERE event = 'purged'") == 15)
            #expect(
                try await world.count("SELECT count(*)::int FROM worker_instances WHERE stopped_at IS NOT NULL") == 3
            )
            for trainee in trainees { #expect(try await world.content(of: trainee) == 0) }
        }
    }
}

@Suite("The worker's own HTTP port and start-up")
struct WorkerEndpointTests {
    static func get(_ url: String) async throws -> (status: Int, body: String) {
        let curl = Process()
        let output = Pipe()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        curl.arguments = ["python3", "-c", Self.fetch, url]
        curl.standardOutput = output
        try curl.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        curl.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let status = Int(text.prefix(3)) ?? 0
        return (status, String(text.dropFirst(4)))
    }

    /// A standard-library HTTP GET that prints the status and the body.
    static let fetch = """
        import sys, urllib.request, urllib.error
        try:
            r = urllib.request.urlopen(sys.argv[1], timeout=10); print(r.status, r.read().decode())
        except urllib.error.HTTPError as e:
            print(e.code, e.read().decode())
        """

    @Test("/health, /ready and /metrics answer on WORKER_HTTP_PORT; SIGTERM exits 0")
    func endpoints() async throws {
        try await RetentionWorld.test { world in
            var environment = WorkerProcessTests.environment(world)
            environment["LOG_FORMAT"] = "text"
            let worker = try DossierProcess(["worker"], environment: environment)
            let output = try await worker.waitForOutput(containing: "listening on 127.0.0.1:")
            let port = try #require(output.firstMatch(of: /listening on 127\.0\.0\.1:(\d+)/)?.output.1)
            try await worker.waitForOutput(containing: "worker started")

            let health = try await Self.get("http://127.0.0.1:\(port)/health")
            let ready = try await Self.get("http://127.0.0.1:\(port)/ready")
            let metrics = try await Self.get("http://127.0.0.1:\(port)/metrics")

            #expect(health.status == 200 && health.body.contains("ok"))
            #expect(ready.status == 200 && ready.body.contains("ready"))
            #expect(metrics.status == 200)
            #expect(metrics.body.contains("worker_jobs{"))
            #expect(metrics.body.contains("legal_holds_active 0"))
            #expect(metrics.body.contains("retention_backlog_runs 0"))
            worker.send(SIGTERM)
            #expect(try await worker.waitForExit() == 0)
        }
    }

    @Test("The worker refuses to start on a schema that is not current")
    func staleSchema() async throws {
        try await TestDatabase.withEmpty { database in
            let worker = try DossierProcess(
                ["worker"],
                environment: [
                    "DATABASE_URL": database.appURL.text, "DOSSIER_SECRET_KEY": WorkerProcessTests.secret,
                    "MIGRATIONS_DIR": PackagePaths.migrations, "WORKER_HTTP_PORT": "0",
                ]
            )

            #expect(try await worker.waitForExit() == 1)
            #expect(worker.standardError.contains("error: the database schema is behind: "))
        }
    }
}

@Suite("dossier retention, from the shell")
struct RetentionCommandTests {
    @Test("plan, runs, certificate and verify print plain lines off a terminal; verify exits 1 on a broken chain")
    func theCommands() async throws {
        try await RetentionWorld.test { world in
            _ = try await world.trainee("Dora Due", completed: "2024-01-10")
            let environment = [
                "DATABASE_URL": world.testDatabase.appURL.text, "DOSSIER_SECRET_KEY": WorkerProcessTests.secret,
            ]
            func run(_ arguments: [String]) async throws -> (status: Int32, output: String, errors: String) {
                let process = try DossierProcess(["retention"] + arguments, environment: environment)
                let status = try await process.waitForExit()
                return (status, process.standardOutput, process.standardError)
            }

            let plan = try await run(["plan", "--dry-run", "--admin", "ada.admin@dossier.test"])
            #expect(plan.status == 0)
            #expect(plan.output.contains("mode=dry_run\nstatus=planned\n"))
            #expect(plan.output.contains("purge=1\n"))
            let notAdmin = try await run(["plan", "--admin", "dora.due@dossier.test"])
            #expect(notAdmin.status == 1)
            #expect(notAdmin.errors.contains("error: Only a person with the admin role may run or approve retention."))
            let nobody = try await run(["plan", "--admin", "nobody@dossier.test"])
            #expect(nobody.status == 1)
            #expect(nobody.errors.contains("error: No person with the e-mail address given to --admin exists."))
            let runs = try await run(["runs"])
            #expect(runs.output.hasPrefix("RUN\tMODE\tSTATUS"))
            let id = try #require(plan.output.firstMatch(of: /run=([0-9a-f-]+)/)?.output.1)
            let certificate = try await run(["certificate", String(id)])
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("certificate-\(UUID()).json")
            try Data(certificate.output.utf8).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }

            let verified = try await run(["verify", "--certificate", file.path])
            #expect(verified.status == 0)
            #expect(verified.output.contains("chain=intact\n"))
            #expect(verified.output.contains("certificate_signature=valid\n"))

            let exported = try await run(["export-log"])
            #expect(exported.status == 0)
            #expect(
                try DisposalLogFile.records(from: exported.output).count
                    == (try await world.count("SELECT count(*)::int FROM disposal_log"))
            )

            try await world.testDatabase.withOwnerClient { owner in
                try await owner.query("UPDATE disposal_log SET actor = 'someone else' WHERE seq = 1")
            }
            let broken = try await run(["verify"])
            #expect(broken.status == 1)
            #expect(broken.output.contains("chain=BROKEN\n"))
            #expect(broken.output.contains("first_broken_link=seq 1: the hash does not match the record's content"))
        }
    }
}
