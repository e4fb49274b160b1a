import Foundation
import Logging

/// The worker's half of anonymity in storage: folds each due inbox (at least the threshold of
/// responses, or whatever is left once the evaluation has closed) into the counters and free
/// texts in one transaction, in shuffled order, and deletes it (autovacuum removes the dead rows;
/// see migration 0013).
public struct EvaluationFold: Sendable {
    private let database: Database
    private let clock: any WallClock
    private let seal: EvaluationSeal
    private let inbox = EvaluationInboxRepository()
    private let evaluations = EvaluationRepository()
    private let forms = FormRepository()
    private let logger: Logger

    public init(database: Database, clock: any WallClock, secretKey: SecretKey, logger: Logger) {
        self.database = database
        self.clock = clock
        self.seal = EvaluationSeal(secretKey: secretKey)
        self.logger = logger
    }

    /// Folds every due inbox; the number of responses folded.
    @discardableResult
    public func run() async throws -> Int {
        let now = clock.now()
        let due = try await database.read { try await inbox.due(at: now, on: $0) }
        var folded = 0
        for id in due { folded += try await fold(id, now: now) }
        if !due.isEmpty {
            logger.info(
                "folded evaluation responses",
                metadata: ["evaluations": "\(due.count)", "responses": "\(folded)"]
            )
        }
        return folded
    }

    private func fold(_ id: Evaluation.ID, now: Date) async throws -> Int {
        try await database.transaction { connection in
            let rows = try await inbox.lockedInbox(id, on: connection)
            guard let evaluation = try await evaluations.find(id, on: connection),
                rows.count >= evaluation.minimumResponses || (evaluation.state(at: now) == .closed && !rows.isEmpty),
                let version = try await forms.version(evaluation.formKey, evaluation.formVersion, on: connection)
            else { return 0 }
            var totals = EvaluationTally.Totals()
            for row in rows {
                let response = try seal.open(row.sealed, for: id)
                totals.add(response.answers, on: version.definition, showTextIfAlone: response.showTextIfAlone)
            }
            try await inbox.fold(
                id,
                counts: totals.counts,
                texts: totals.texts.shuffled(),
                responses: rows.count,
                inbox: rows.map(\.id),
                on: connection
            )
            return rows.count
        }
    }
}
