import ArgumentParser
import DossierCore
import Foundation
import Logging
import PostgresNIO

struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "Plan, approve and prove retention runs from the server's shell.",
        discussion: """
            Actions name the acting admin with --admin EMAIL (a person with the admin role); reading runs and \
            certificates needs only shell access. Approved runs are executed by `dossier worker`.
            """,
        subcommands: [
            Plan.self, Runs.self, Show.self, Approve.self, Certificate.self, Verify.self, ExportLog.self, Reapply.self,
        ]
    )

    /// The services a retention command needs, over one short-lived pool.
    struct Context {
        let retention: RetentionService
        let executor: RetentionExecutor
        let output = TerminalOutput()

        static func run<Result: Sendable>(_ body: @Sendable (Context) async throws -> Result) async throws -> Result {
            let logger = Environment.bootstrapLogging(label: "dossier.retention", toStandardError: true)
            let config = Environment.load(WorkerConfig.self)
            do {
                return try await PostgresClient.withClient(
                    url: config.database.url,
                    maximumConnections: 2,
                    logger: logger
                ) {
                    client in
                    let database = Database(client: client, logger: logger)
                    let clock = SystemWallClock()
                    return try await body(
                        Context(
                            retention: RetentionService(
                                database: database,
                                clock: clock,
                                secretKey: config.secretKey,
                                logger: logger
                            ),
                            executor: RetentionExecutor(
                                database: database,
                                clock: clock,
                                secretKey: config.secretKey,
                                logger: logger
                            )
                        )
                    )
                }
            } catch let error as DossierError {
                Environment.fail(error.detail)
            } catch {
                Environment.fail(PostgresErrorText.describe(error))
            }
        }

        func admin(_ email: String) async throws -> RetentionActor {
            try await retention.actor(admin: email)
        }

        func show(_ run: RetentionRun) {
            output.summary([
                ("run", run.id.description), ("mode", run.mode.rawValue), ("status", run.status.rawValue),
                ("policy", "\(run.policyID) v\(run.policyVersion)"), ("as of", run.asOf.description),
                ("trigger", run.trigger.rawValue), ("hide", String(run.counts.hide)),
                ("purge", String(run.counts.purge)), ("held", String(run.counts.held)),
                ("hidden", String(run.counts.hidden)), ("purged", String(run.counts.purged)),
                ("changed", String(run.counts.changed)), ("failed", String(run.counts.failed)),
                ("active", String(run.windows.active)), ("in download window", String(run.windows.inDownloadWindow)),
                ("past download window", String(run.windows.pastDownloadWindow)), ("due", String(run.windows.due)),
            ])
        }
    }

    static func runID(_ text: String) throws -> RetentionRun.ID {
        guard let id = RetentionRun.ID(text) else { throw ValidationError("RUN must be a run id (a UUID)") }
        return id
    }

    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Plan a run now: list what would be hidden, purged and held (--dry-run deletes nothing, ever)."
        )

        @Flag(help: "Only list; a dry run can never be approved or executed.")
        var dryRun = false

        @Option(help: "The e-mail address of the admin who asks for the run.")
        var admin: String

        func run() async throws {
            let mode: RetentionRun.Mode = dryRun ? .dryRun : .execute
            let admin = admin
            try await Context.run { context in
                context.show(try await context.retention.plan(mode, by: try await context.admin(admin)))
            }
        }
    }

    struct Runs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List recent runs, newest first.")

        @Option(help: "How many runs (1-500).")
        var limit = 20

        func run() async throws {
            let page = try PageRequest(limit: limit, after: nil)
            try await Context.run { context in
                let runs = try await context.retention.list(mode: nil, status: nil, page: page, by: .shell).items
                context.output.table(
                    ["RUN", "MODE", "STATUS", "AS OF", "POLICY", "HIDE", "PURGE", "HELD", "PURGED"],
                    runs.map {
                        [
                            $0.id.description, $0.mode.rawValue, $0.status.rawValue, $0.asOf.description,
                            "v\($0.policyVersion)", String($0.counts.hide), String($0.counts.purge),
                            String($0.counts.held), String($0.counts.purged),
                        ]
                    }
                )
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one run with its counts and window figures.")

        @Argument(help: "The run id.")
        var run: String

        func run() async throws {
            let id = try RetentionCommand.runID(run)
            try await Context.run { context in context.show(try await context.retention.get(id, by: .shell)) }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve a run waiting behind the circuit breaker; the worker executes it."
        )

        @Argument(help: "The run id.")
        var run: String

        @Option(help: "The e-mail address of the approving admin.")
        var admin: String

        @Flag(help: "Wait for the worker to finish, showing progress.")
        var wait = false

        func run() async throws {
            let id = try RetentionCommand.runID(run)
            let (admin, wait) = (admin, wait)
            try await Context.run { context in
                var run = try await context.retention.approve(id, by: try await context.admin(admin))
                while wait && run.status != .done && run.status != .aborted {
                    try await Task.sleep(for: .seconds(1))
                    run = try await context.retention.get(id, by: .shell)
                    let done = run.counts.hidden + run.counts.purged + run.counts.changed + run.counts.failed
                    context.output.progress("executing", done: done, total: run.counts.disposals)
                }
                context.show(run)
            }
        }
    }

    struct Certificate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the signed certificate of a finished run as JSON (keep it with the case file)."
        )

        @Argument(help: "The run id.")
        var run: String

        func run() async throws {
            let id = try RetentionCommand.runID(run)
            try await Context.run { context in
                let certificate = try await context.retention.certificate(of: id, by: .shell)
                print(String(decoding: try RetentionCertificateJSON.encode(certificate), as: UTF8.self))
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the disposal log's hash chain and report the first broken link; exit 1 if broken.",
            discussion:
                "With --certificate FILE, also check that certificate's signature and that the log still holds its chain head."
        )

        @Option(help: "A certificate printed by `dossier retention certificate`.")
        var certificate: String?

        func run() async throws {
            let file = certificate
            let intact = try await Context.run { context -> Bool in
                let (checked, broken) = try await context.executor.verify { checked in
                    context.output.progress("verifying", done: checked, total: max(checked, 1))
                }
                var rows = [("records checked", String(checked)), ("chain", broken == nil ? "intact" : "BROKEN")]
                if let broken { rows.append(("first broken link", broken.description)) }
                var intact = broken == nil
                if let file {
                    let data = try Data(contentsOf: URL(fileURLWithPath: file))
                    let certificate = try RetentionCertificateJSON.decode(data)
                    let genuine = context.retention.isGenuine(certificate)
                    let anchored = try await context.executor.holds(certificate)
                    rows.append(("certificate signature", genuine ? "valid" : "INVALID"))
                    rows.append(("certificate chain head", anchored ? "in the log" : "NOT IN THE LOG"))
                    intact = intact && genuine && anchored
                }
                context.output.summary(rows)
                return intact
            }
            if !intact { throw ExitCode.failure }
        }
    }

    struct ExportLog: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export-log",
            abstract: "Print the disposal log as JSON lines, to keep a copy outside the database.",
            discussion: """
                The log holds no personal data. Keep a copy newer than your oldest backup (for example daily, \
                next to the backups): after restoring a backup older than some disposals, `reapply --log FILE` \
                uses it to purge again what the restored database no longer knows was purged.
                """
        )

        @Option(help: "Only records after this sequence number.")
        var after: Int64 = 0

        func run() async throws {
            let after = after
            try await Context.run { context in
                var next = after
                while true {
                    let records = try await context.executor.records(after: next)
                    guard let last = records.last?.seq else { break }
                    for record in records { print(try DisposalLogFile.line(record)) }
                    next = last
                }
            }
        }
    }

    struct Reapply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "After a restore from backup: purge again every portfolio the disposal log says was purged."
        )

        @Option(help: "The e-mail address of the admin who runs it.")
        var admin: String

        @Option(help: "A copy of the log made by `export-log` after the backup was taken; its chain is checked first.")
        var log: String?

        func run() async throws {
            let admin = admin
            var copy: [DisposalRecord] = []
            if let log {
                do {
                    copy = try DisposalLogFile.records(from: try String(contentsOfFile: log, encoding: .utf8))
                } catch {
                    throw ValidationError("--log \(log): \(error)")
                }
            }
            let records = copy
            let busy = try await Context.run { context -> Int in
                guard case .cli(let person) = try await context.admin(admin) else { return 0 }
                let (purged, busy) = try await context.executor.reapply(by: person, copy: records) { done, total in
                    context.output.progress("reapplying", done: done, total: total)
                }
                context.output.summary([("purged again", String(purged)), ("locked, run again", String(busy))])
                return busy
            }
            if busy > 0 { throw ExitCode.failure }
        }
    }
}
