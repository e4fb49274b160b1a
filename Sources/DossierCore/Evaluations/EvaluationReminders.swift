import Foundation

/// Who the digest mail reminds: assignments still unanswered within `window` of their
/// evaluation's close, and only while the evaluation is below its threshold, or below the
/// target rate its coordinator set. The list goes to the mail job only: no report reader ever
/// learns who has or has not answered an anonymous evaluation.
public struct EvaluationReminders: Sendable {
    public struct Reminder: Sendable, Equatable {
        public let person: PersonID
        public let evaluation: Evaluation.ID
        public let closesAt: Date
    }

    public static let window: TimeInterval = 3 * 86_400

    private let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func due(at now: Date) async throws -> [Reminder] {
        try await database.read { connection in
            try await EvaluationRepository().unansweredNearClose(now: now, within: Self.window, on: connection)
        }
    }
}
