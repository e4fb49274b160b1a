import ArgumentParser
import DossierCore
import Foundation
import Logging
import PostgresNIO

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import data from files on the server.",
        subcommands: [People.self]
    )

    struct People: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "people",
            abstract: "Import people from CSV, all or nothing, upserting by e-mail.",
            discussion: "Header: \(PeopleCSV.header.joined(separator: ",")); roles separated by ';'."
        )

        @Argument(help: "The CSV file (UTF-8).")
        var file: String

        @Flag(help: "Report what would change and change nothing.")
        var dryRun = false

        func run() async throws {
            let logger = Environment.bootstrapLogging(label: "dossier.import", toStandardError: true)
            let config = Environment.load(DatabaseConfig.self)
            guard let data = FileManager.default.contents(atPath: file) else { Environment.fail("cannot read \(file)") }
            guard let csv = String(data: data, encoding: .utf8) else { Environment.fail("\(file) is not UTF-8 text") }
            let progress = ProgressLine(label: dryRun ? "checking" : "importing")
            do {
                let report = try await PostgresClient.withClient(url: config.url, maximumConnections: 1, logger: logger)
                {
                    try await PersonService(
                        database: Database(client: $0, logger: logger),
                        clock: SystemWallClock(),
                        logger: logger
                    )
                    .importPeople(csv: csv, dryRun: dryRun, caller: nil) { done, total in progress.show(done, of: total)
                    }
                }
                progress.finish()
                for row in report.rows where row.action != .unchanged {
                    print("line \(row.line)\t\(row.action.rawValue)\t\(row.id?.description ?? "-")")
                }
                print(
                    "\(dryRun ? "dry run: would create" : "created") \(report.count(.created)), "
                        + "\(dryRun ? "would update" : "updated") \(report.count(.updated)), unchanged \(report.count(.unchanged))"
                )
            } catch let error as DossierError {
                progress.finish()
                let lines = error.fieldErrors.map {
                    "\($0.pointer.replacingOccurrences(of: "/rows/", with: "line ")): \($0.detail)"
                }
                Environment.fail(([error.detail, "nothing was imported"] + lines).joined(separator: "\n"))
            } catch {
                progress.finish()
                Environment.fail(PostgresErrorText.describe(error))
            }
        }
    }
}

/// A single updating progress line on a terminal; silent when standard error is not a TTY,
/// so logs and pipes get only the final summary.
struct ProgressLine: Sendable {
    let label: String
    let enabled = isatty(STDERR_FILENO) == 1

    func show(_ done: Int, of total: Int) {
        guard enabled, total > 0, done == total || done % 25 == 0 else { return }
        let width = 30
        let filled = width * done / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(done)/\(total)".utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
