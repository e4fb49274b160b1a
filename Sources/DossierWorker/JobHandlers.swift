import DossierCore
import Foundation

/// The job kinds this worker runs, each a call into a Core service.
public enum JobHandlers {
    struct RunArguments: Decodable {
        let runId: UUID
    }

    struct BadArguments: Error, CustomStringConvertible {
        let kind: String
        var description: String { "the arguments of this \(kind) job do not decode" }
    }

    public static func standard(
        retention: RetentionService,
        executor: RetentionExecutor,
        housekeeping: Housekeeping,
        evaluationFold: EvaluationFold
    ) -> [String: JobHandler] {
        [
            // The daily plan: auto-approved and queued when within the circuit breaker, else it waits.
            "retention.plan": { _ in
                do {
                    _ = try await retention.plan(.execute, by: .scheduler)
                } catch let error as DossierError where error.slug == .scheduledRunExists {
                    // A rescued plan job whose first attempt committed: today's run exists.
                }
            },
            "retention.execute": { job in
                let decoder = JSONDecoder()
                decoder.keyDecodingStrategy = .convertFromSnakeCase
                guard let arguments = try? decoder.decode(RunArguments.self, from: Data(job.args.utf8)) else {
                    throw BadArguments(kind: job.kind)
                }
                try await executor.execute(RetentionRun.ID(arguments.runId))
            },
            "job.prune": { _ in try await housekeeping.prune() },
            "evaluation.fold": { _ in try await evaluationFold.run() },
        ]
    }
}
