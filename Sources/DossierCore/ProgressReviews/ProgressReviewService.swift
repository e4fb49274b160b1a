import Foundation

/// Progress reviews, advice and decisions: supervisors record reviews and advice, coordinators
/// decisions; the author edits until signing, after which a correction is an amendment.
public struct ProgressReviewService: Sendable {
    let database: Database
    let clock: any WallClock
    let records = ProgressRecordRepository()
    let access = PortfolioAccess()
    private let responses = FormResponses()

    public init(database: Database, clock: any WallClock) {
        self.database = database
        self.clock = clock
    }

    public struct Input: Sendable {
        public var kind: String
        public var formVersion: Int?
        public var heldOn: String
        public var answers: [String: JSONValue]
        public var summary: String

        public init(kind: String, formVersion: Int?, heldOn: String, answers: [String: JSONValue], summary: String) {
            self.kind = kind
            self.formVersion = formVersion
            self.heldOn = heldOn
            self.answers = answers
            self.summary = summary
        }
    }

    public func list(
        _ portfolioID: Portfolio.ID,
        kind: ProgressRecord.Kind?,
        includeTest: Bool,
        page: PageRequest,
        caller: Caller
    ) async throws -> Page<ProgressRecord> {
        let now = clock.now()
        return try await database.transaction { connection in
            let grant = try await access.portfolio(
                portfolioID,
                for: .listProgressReviews,
                caller: caller,
                now: now,
                on: connection
            )
            let fetched = try await records.list(
                portfolio: portfolioID,
                kind: kind,
                includeTest: includeTest,
                page: page,
                on: connection
            )
            try await grant.log(.read, "progress_records", id: portfolioID.uuid, on: connection)
            return Page(fetched: fetched, limit: page.limit) { $0.id.uuid }
        }
    }

    public func get(_ id: ProgressRecord.ID, caller: Caller) async throws -> ProgressRecord {
        let now = clock.now()
        return try await database.transaction { connection in
            let (record, grant) = try await self.record(id, for: .getProgressReview, caller, now, connection)
            try await grant.log(.read, "progress_record", id: record.id.uuid, on: connection)
            return record
        }
    }

    public func create(_ portfolioID: Portfolio.ID, _ input: Input, caller: Caller) async throws -> ProgressRecord {
        guard let kind = ProgressRecord.Kind(rawValue: input.kind) else {
            throw DossierError.validation([FieldError("/kind", "must be review, advice or decision")])
        }
        let now = clock.now()
        let today = CalendarDate(now)
        let errors = ProgressRecord.validate(heldOn: input.heldOn, summary: input.summary, today: today)
        guard let author = caller.personID else { throw DossierError.forbidden("Only people record progress.") }
        return try await database.transaction { connection in
            let grant = try await access.portfolio(
                portfolioID,
                for: .createProgressReview,
                caller: caller,
                now: now,
                on: connection
            )
            let authorRule = try Self.writer(of: kind, caller: caller, relation: grant.relation)
            try grant.portfolio.requireActive(
                on: today,
                refusing: "a completed portfolio takes no new progress records"
            )
            let (version, isTest) = try await responses.version(
                of: kind.formKey,
                purpose: kind.purpose,
                requested: input.formVersion,
                keyPointer: "/kind",
                on: connection
            )
            let all = errors + FormAnswers.validate(input.answers, against: version.definition)
            guard all.isEmpty, let heldOn = CalendarDate(input.heldOn) else { throw DossierError.validation(all) }
            let record = ProgressRecord(
                id: .generate(),
                portfolioID: portfolioID,
                kind: kind,
                formKey: version.formKey,
                formVersion: version.version,
                isTest: isTest,
                heldOn: heldOn,
                answers: input.answers,
                summary: input.summary,
                authorID: author,
                authorRule: authorRule,
                createdAt: now,
                updatedAt: now
            )
            try await records.insert(record, on: connection)
            try await grant.log(.create, "progress_record", id: record.id.uuid, on: connection)
            return record
        }
    }

    /// A merge patch of `held_on`, `answers` (whole) and `summary` by the author, before signing.
    public struct Patch: Sendable {
        public var heldOn: String?
        public var answers: [String: JSONValue]?
        public var summary: String?

        public init(heldOn: String? = nil, answers: [String: JSONValue]? = nil, summary: String? = nil) {
            self.heldOn = heldOn
            self.answers = answers
            self.summary = summary
        }
    }

    public func update(
        _ id: ProgressRecord.ID,
        patch: Patch,
        ifMatch: String?,
        caller: Caller
    ) async throws
        -> ProgressRecord
    {
        let now = clock.now()
        return try await database.transaction { connection in
            let (record, grant) = try await self.record(id, for: .updateProgressReview, caller, now, connection)
            try Self.requireAuthor(record, caller)
            try record.requireUnsigned()
            try Preconditions.check(ifMatch: ifMatch, etag: record.etag)
            let heldOn = patch.heldOn ?? record.heldOn.description
            let summary = patch.summary ?? record.summary
            let answers = patch.answers ?? record.answers
            var errors = ProgressRecord.validate(heldOn: heldOn, summary: summary, today: CalendarDate(now))
            guard let version = try await FormRepository().version(record.formKey, record.formVersion, on: connection)
            else { throw DossierError.notFound("form version") }
            errors += FormAnswers.validate(answers, against: version.definition)
            guard errors.isEmpty, let date = CalendarDate(heldOn) else { throw DossierError.validation(errors) }
            var changed = record
            changed.heldOn = date
            changed.answers = answers
            changed.summary = summary
            changed.updatedAt = now
            guard try await records.update(changed, expectedVersion: record.version, on: connection),
                let updated = try await records.find(id, on: connection)
            else { throw Preconditions.stale }
            try await grant.log(.update, "progress_record", id: record.id.uuid, on: connection)
            return updated
        }
    }

    /// The author signs; from then on the record never changes (the database refuses it too).
    public func sign(_ id: ProgressRecord.ID, caller: Caller) async throws -> ProgressRecord {
        let now = clock.now()
        return try await database.transaction { connection in
            let (record, grant) = try await self.record(id, for: .signProgressReview, caller, now, connection)
            try Self.requireAuthor(record, caller)
            try record.requireUnsigned()
            guard try await records.sign(id, by: record.authorID, at: now, on: connection),
                let signed = try await records.find(id, on: connection)
            else {
                throw DossierError(
                    .conflict,
                    slug: .progressRecordSigned,
                    detail: "This \(record.kind.rawValue) was signed by another request just now."
                )
            }
            try await grant.log(.update, "progress_record", id: record.id.uuid, on: connection)
            return signed
        }
    }

    public struct Amendment: Sendable {
        public var reason: String
        public var heldOn: String?
        public var answers: [String: JSONValue]
        public var summary: String

        public init(reason: String, heldOn: String?, answers: [String: JSONValue], summary: String) {
            self.reason = reason
            self.heldOn = heldOn
            self.answers = answers
            self.summary = summary
        }
    }

    /// A correction of a signed record: a new record on today's production form that points at it.
    public func amend(_ id: ProgressRecord.ID, _ input: Amendment, caller: Caller) async throws -> ProgressRecord {
        let now = clock.now()
        let today = CalendarDate(now)
        let reason = input.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let author = caller.personID else { throw DossierError.forbidden("Only people record progress.") }
        return try await database.transaction { connection in
            let (original, grant) = try await self.record(id, for: .amendProgressReview, caller, now, connection)
            let authorRule = try Self.writer(of: original.kind, caller: caller, relation: grant.relation)
            guard original.isSigned else {
                throw DossierError(
                    .conflict,
                    slug: .progressRecordUnsigned,
                    detail: "This \(original.kind.rawValue) is not signed yet; its author can still change it."
                )
            }
            let heldOn = input.heldOn ?? original.heldOn.description
            var errors = ProgressRecord.validate(heldOn: heldOn, summary: input.summary, today: today)
            if !(1...2_000).contains(reason.count) { errors.append(FieldError("/reason", "must be 1-2000 characters")) }
            let (version, isTest) = try await responses.version(
                of: original.kind.formKey,
                purpose: original.kind.purpose,
                requested: nil,
                keyPointer: "/kind",
                on: connection
            )
            errors += FormAnswers.validate(input.answers, against: version.definition)
            guard errors.isEmpty, let date = CalendarDate(heldOn) else { throw DossierError.validation(errors) }
            let amendment = ProgressRecord(
                id: .generate(),
                portfolioID: original.portfolioID,
                kind: original.kind,
                formKey: version.formKey,
                formVersion: version.version,
                isTest: isTest,
                heldOn: date,
                answers: input.answers,
                summary: input.summary,
                authorID: author,
                authorRule: authorRule,
                amends: original.id,
                amendReason: reason,
                createdAt: now,
                updatedAt: now
            )
            try await records.insert(amendment, on: connection)
            try await grant.log(.create, "progress_record", id: amendment.id.uuid, on: connection)
            return amendment
        }
    }

    private func record(
        _ id: ProgressRecord.ID,
        for operation: APIOperation,
        _ caller: Caller,
        _ now: Date,
        _ connection: DatabaseConnection
    ) async throws -> (record: ProgressRecord, grant: PortfolioGrant) {
        guard let record = try await records.find(id, on: connection) else {
            throw DossierError.notFound("progress record")
        }
        let grant = try await access.portfolio(
            record.portfolioID,
            for: operation,
            caller: caller,
            now: now,
            on: connection
        )
        return (record, grant)
    }

    /// Reviews and advice come from the trainee's current supervisors, decisions from coordinators.
    private static func writer(
        of kind: ProgressRecord.Kind,
        caller: Caller,
        relation: Relation
    ) throws(DossierError) -> String {
        switch (kind, relation) {
        case (.decision, _) where caller.has(.coordinator): return "coordinator"
        case (.review, .supervises(let supervision)), (.advice, .supervises(let supervision)):
            return "supervisor:\(supervision.rawValue)"
        default:
            throw DossierError.forbidden(
                kind == .decision
                    ? "Only a coordinator records a progress decision."
                    : "Only a current supervisor of the trainee records a progress \(kind.rawValue)."
            )
        }
    }

    private static func requireAuthor(_ record: ProgressRecord, _ caller: Caller) throws(DossierError) {
        guard record.authorID == caller.personID else {
            throw DossierError.forbidden("Only the author of this \(record.kind.rawValue) changes or signs it.")
        }
    }
}
