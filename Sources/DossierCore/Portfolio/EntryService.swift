import Foundation
import Logging

/// Entries: the trainee writes while in training; current supervisors read shared entries and
/// leave comments; every read by someone else is access-logged, one row per request.
public struct EntryService: Sendable {
    private let database: Database
    private let clock: any WallClock
    private let entries = EntryRepository()
    private let access = PortfolioAccess()

    public init(database: Database, clock: any WallClock) {
        self.database = database
        self.clock = clock
    }

    public func list(_ portfolioID: Portfolio.ID, page: PageRequest, caller: Caller) async throws -> Page<Entry> {
        let now = clock.now()
        return try await database.transaction { connection in
            let grant = try await access.portfolio(
                portfolioID,
                for: .listEntries,
                caller: caller,
                now: now,
                on: connection
            )
            let fetched = try await entries.list(
                portfolio: portfolioID,
                sharedOnly: grant.relation != .own,
                page: page,
                on: connection
            )
            try await grant.log(.read, "entries", id: portfolioID.uuid, on: connection)
            return Page(fetched: fetched, limit: page.limit) { $0.id.uuid }
        }
    }

    public func create(_ portfolioID: Portfolio.ID, _ input: EntryRules.Input, caller: Caller) async throws -> Entry {
        let (kind, title) = try EntryRules.validate(input)
        let now = clock.now()
        return try await database.transaction { connection in
            let portfolio = try await access.portfolio(
                portfolioID,
                for: .createEntry,
                caller: caller,
                now: now,
                on: connection
            ).portfolio
            try portfolio.requireActive(on: CalendarDate(now), refusing: "a completed portfolio takes no new entries")
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
            let (entry, grant) = try await access.entry(id, for: .updateEntry, caller: caller, now: now, on: connection)
            try grant.portfolio.requireActive(on: CalendarDate(now), refusing: "a completed portfolio is not edited")
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
            let (entry, grant) = try await access.entry(id, for: .getEntry, caller: caller, now: now, on: connection)
            try await grant.log(.read, "entry", id: entry.id.uuid, on: connection)
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
            let (entry, grant) = try await access.entry(
                id,
                for: .createEntryComment,
                caller: caller,
                now: now,
                on: connection
            )
            let comment = Entry.Comment(id: .generate(), authorID: author, body: body, createdAt: now)
            try await entries.insert(comment, on: entry.id, connection: connection)
            try await grant.log(.create, "entry_comment", id: comment.id.uuid, on: connection)
            guard let updated = try await entries.find(id, on: connection) else { throw DossierError.notFound("entry") }
            return updated
        }
    }
}
