import ArgumentParser
import DossierCore
import Foundation
import Logging
import PostgresNIO

extension SeedScale: ExpressibleByArgument {}

struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Fill an empty database with a deterministic world of people, portfolios and reviews.",
        discussion: """
            demo: 12 trainees, 6 trainers, a coordinator (seconds). institute: 400 trainees (about a minute). \
            national: 4,000 trainees, 800 trainers, 500,000 entries (a few minutes), the benchmark's data set. \
            Everything goes through the services, as the API would write it, except the national entries. \
            Refuses a database that was seeded before.
            """
    )

    @Option(help: "How big: \(SeedScale.allCases.map(\.rawValue).joined(separator: ", ")).")
    var scale: SeedScale = .demo

    @Option(help: "Write e-mail<TAB>token of every token the seed issued to this file (mode 0600).")
    var tokens: String?

    func run() async throws {
        let logger = Environment.bootstrapLogging(label: "dossier.seed", toStandardError: true)
        let config = Environment.load(DatabaseConfig.self)
        let output = TerminalOutput()
        let started = ContinuousClock.now
        do {
            let report = try await PostgresClient.withClient(url: config.url, maximumConnections: 4, logger: logger) {
                try await SeedService(
                    database: Database(client: $0, logger: logger),
                    clock: SystemWallClock(),
                    logger: logger
                )
                .seed(scale) { phase, done, total in output.progress(phase, done: done, total: total) }
            }
            if let tokens { try Self.write(report.tokens, to: tokens) }
            output.summary([
                ("scale", scale.rawValue),
                ("people", "\(report.people)"),
                ("supervisions", "\(report.supervisions)"),
                ("entries", "\(report.entries)"),
                ("assessments", "\(report.assessments)"),
                ("progress reviews", "\(report.progressReviews)"),
                ("tokens issued", "\(report.tokens.count)" + (tokens.map { " (in \($0))" } ?? "")),
                ("a coordinator", report.sampleCoordinator),
                ("a trainer", report.sampleTrainer),
                ("a trainee", report.sampleTrainee),
                ("seconds", String(format: "%.1f", (ContinuousClock.now - started).seconds)),
            ])
        } catch let error as DossierError {
            Environment.fail(
                ([error.detail] + error.fieldErrors.map { "\($0.pointer): \($0.detail)" }).joined(separator: "\n")
            )
        } catch {
            Environment.fail(PostgresErrorText.describe(error))
        }
    }

    private static func write(_ tokens: [(email: String, secret: String)], to path: String) throws {
        let text = tokens.map { "\($0.email)\t\($0.secret)\n" }.joined()
        guard
            FileManager.default.createFile(
                atPath: path,
                contents: Data(text.utf8),
                attributes: [.posixPermissions: 0o600]
            )
        else { Environment.fail("cannot write \(path)") }
    }
}
