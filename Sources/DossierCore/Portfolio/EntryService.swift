import Foundation
import Logging

/// Entries: the trainee writes while in training; current supervisors read shared entries and
/// leave comments; every read by someone else is access-logged, one row per request.
public struct EntryService: Sendable {
    private let database: Database
    private let clock: any WallClock
    private let portfolios = PortfolioRepository()
    private let entries = EntryRepository()
    private let access = PortfolioAccess()
    private let accessLog = AccessLogRepository()

    public init(database: Database, clock: any WallClock) {
        self.database = database
        self.clock = clock
    }

    public func list(_ portfolioID: Portfolio.ID, page: PageRequest, caller: Caller) async throws -> Page<Entry> {
        let now = clock.now()
        return try await database.transaction { connection in
            let (portfolio, relation, rule) = try await authorize(.listEntries, portfolioID, caller, now, connection)
            let fetched = try await entries.list(
                portfolio: portfolio.id,
                sharedOnly: relation != .own,
                page: page,
                on: connection
            )
            try await log(
                .read,
                portfolio,
                resource: "entries",
                id: portfolio.id.uuid,
                rule: rule,
                caller,
                now,
                connection
            )
            return Page(fetched: fetched, limit: page.limit) { $0.id.uuid }
        }
    }

    public func create(_ portfolioID: Portfolio.ID, _ input: EntryRules.Input, caller: Caller) async throws -> Entry {
        let (kind, title) = try EntryRules.validate(input)
        let now = clock.now()
        return try await database.transaction { connection in
            let (portfolio, _, _) = try await authorize(.createEntry, portfolioID, caller, now, connection)
            guard portfolio.status(on: CalendarDate(now)) == .active else {
                throw DossierError(
                    .conflict,
                    slug: "portfolio-completed",
                    detail: "Training has ended; a completed portfolio takes no new entries."
                )
            }
            let entry = Entry(
                id: .generate(),
                portfolioID: portfolio.id,
                kind: kind,
                title: title,
                body: input.body,
                tags: input.tags,
                activities: input.activities,
                shared: input.shared,
                comments: [],
                createdAt: now,
                updatedAt: now
            )
            try await entries.insert(entry, on: connection)
            return entry
        }
    }

    /// Applies a merge patch to the trainee's own entry, if `ifMatch` is its current ETag.
    public func update(_ id: Entry.ID, patch: EntryPatch, ifMatch: String?, caller: Caller) async throws -> Entry {
        let now = clock.now()
        return try await database.transaction { connection in
            guard let entry = try await entries.find(id, on: connection) else { throw DossierError.notFound("entry") }
            let (portfolio, relation, _) = try await authorize(.updateEntry, entry.portfolioID, caller, now, connection)
            guard entry.shared || relation == .own else { throw DossierError.notFound("entry") }
            guard portfolio.status(on: CalendarDate(now)) == .active else {
                throw DossierError(
                    .conflict,
                    slug: "portfolio-completed",
                    detail: "Training has ended; a completed portfolio is not edited."
                )
            }
            try Preconditions.check(ifMatch: ifMatch, etag: entry.etag)
            let (input, kind, title) = try patch.apply(to: entry)
            guard
                try await entries.update(
                    id,
                    kind: kind,
                    title: title,
                    input: input,
                    expectedVersion: entry.version,
                    at: now,
                    on: connection
                ),
                let updated = try await entries.find(id, on: connection)
            else { throw Preconditions.stale }
            return updated
        }
    }

    public func get(_ id: Entry.ID, caller: Caller) async throws -> Entry {
        let now = clock.now()
        return try await database.transaction { connection in
            guard let entry = try await entries.find(id, on: connection) else { throw DossierError.notFound("entry") }
            let (portfolio, relation, rule) = try await authorize(.getEntry, entry.portfolioID, caller, now, connection)
            guard entry.shared || relation == .own else { throw DossierError.notFound("entry") }
            try await log(.read, portfolio, resource: "entry", id: entry.id.uuid, rule: rule, caller, now, connection)
            return entry
        }
    }

    /// Feedback on a shared entry by a current supervisor, or the trainee's own reply.
    public func comment(on id: Entry.ID, body text: String, caller: Caller) async throws -> Entry {
        let body = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...10_000).contains(body.count) else {
            throw DossierError.validation([FieldError("/body", "must be 1-10000 characters")])
        }
        guard let author = caller.personID else { throw DossierError.forbidden("Only people comment on entries.") }
        let now = clock.now()
        return try await database.transaction { connection in
            guard let entry = try await entries.find(id, on: connection) else { throw DossierError.notFound("entry") }
            let (portfolio, relation, rule) = try await authorize(
                .createEntryComment,
                entry.portfolioID,
                caller,
                now,
                connection
            )
            guard entry.shared || relation == .own else { throw DossierError.notFound("entry") }
            let comment = Entry.Comment(id: .generate(), authorID: author, body: body, createdAt: now)
            try await entries.insert(comment, on: entry.id, connection: connection)
            try await log(
                .create,
                portfolio,
                resource: "entry_comment",
                id: comment.id.uuid,
                rule: rule,
                caller,
                now,
                connection
            )
            guard let updated = try await entries.find(id, on: connection) else { throw DossierError.notFound("entry") }
            return updated
        }
    }

    private func authorize(
        _ operation: APIOperation,
        _ portfolioID: Portfolio.ID,
        _ caller: Caller,
        _ now: Date,
        _ connection: DatabaseConnection
    ) async throws -> (Portfolio, Relation, String) {
        guard let portfolio = try await portfolios.find(portfolioID, on: connection) else {
            throw DossierError.notFound("portfolio")
        }
        let (relation, rule) = try await access.authorize(
            operation,
            portfolio,
            caller: caller,
            now: now,
            on: connection
        )
        return (portfolio, relation, rule)
    }

    private func log(
        _ action: AccessAction,
        _ portfolio: Portfolio,
        resource: String,
        id: UUID,
        rule: String,
        _ caller: Caller,
        _ now: Date,
        _ connection: DatabaseConnection
    ) async throws {
        try await accessLog.append(
            AccessLogEntry.entries(
                action,
                by: caller,
                subjects: [(portfolio.traineeID, id)],
                resourceType: resource,
                rule: rule,
                at: now
            ),
            on: connection
        )
    }
}
