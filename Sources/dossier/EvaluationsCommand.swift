import ArgumentParser
import DossierCore
import Foundation
import Logging
import PostgresNIO

struct EvaluationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluations",
        abstract: "Evaluation chores from the server's shell.",
        subcommands: [Fold.self]
    )

    struct Fold: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fold the due inboxes of anonymous responses now, as the worker does every five minutes.",
            discussion: """
                Folds each evaluation whose inbox holds its threshold, or that has closed with responses in it, and \
                prints how many responses it folded and how long it took.
                """
        )

        func run() async throws {
            let logger = Environment.bootstrapLogging(label: "dossier.evaluations", toStandardError: true)
            let config = Environment.load(WorkerConfig.self)
            do {
                let started = ContinuousClock.now
                let folded = try await PostgresClient.withClient(
                    url: config.database.url,
                    maximumConnections: 2,
                    logger: logger
                ) { client in
                    try await EvaluationFold(
                        database: Database(client: client, logger: logger),
                        clock: SystemWallClock(),
                        secretKey: config.secretKey,
                        logger: logger
                    ).run()
                }
                let elapsed = ContinuousClock.now - started
                print("folded \(folded) responses in \(elapsed.milliseconds) ms")
            } catch {
                Environment.fail(PostgresErrorText.describe(error))
            }
        }
    }
}
