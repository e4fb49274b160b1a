import Foundation

/// How a caller stands to the trainee whose IPO record they read, and the access-log rows such
/// reads leave: the same need to know as a person's record (`getPerson`).
struct IPOPersonAccess: Sendable {
    private let relations = PersonRelations()
    private let accessLog = AccessLogRepository()

    func relation(
        of caller: Caller,
        to person: Person,
        now: Date,
        on connection: DatabaseConnection
    ) async throws
        -> Relation
    {
        try await relations.relation(of: caller, to: person, now: now, on: connection)
    }

    /// One row per trainee other than the caller, in the caller's transaction.
    func log(
        _ trainees: [PersonID],
        resourceType: String,
        rule: String,
        caller: Caller,
        now: Date,
        on connection: DatabaseConnection
    ) async throws {
        try await accessLog.append(
            AccessLogEntry.entries(
                .read,
                by: caller,
                subjects: trainees.map { ($0, Optional($0.uuid)) },
                resourceType: resourceType,
                rule: rule,
                at: now
            ),
            on: connection
        )
    }
}
