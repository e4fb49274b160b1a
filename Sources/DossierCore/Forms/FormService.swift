import Foundation

/// Forms and their versions: anyone signed in reads them (a trainee sees what they will be
/// assessed on); coordinators write them, and only drafts change.
public struct FormService: Sendable {
    private let database: Database
    private let clock: any WallClock
    private let forms = FormRepository()

    public init(database: Database, clock: any WallClock) {
        self.database = database
        self.clock = clock
    }

    public func list(purpose: Form.Purpose?, caller: Caller) async throws -> [Form] {
        _ = try AccessPolicy.decide(.listForms, caller: caller).rule(or: "form")
        return try await database.read { try await forms.list(purpose: purpose, on: $0) }
    }

    public func get(_ key: String, caller: Caller) async throws -> Form {
        _ = try AccessPolicy.decide(.getForm, caller: caller).rule(or: "form")
        guard let form = try await database.read({ try await forms.list(purpose: nil, key: key, on: $0) }).first
        else { throw DossierError.notFound("form") }
        return form
    }

    public func create(key: String, title: String, purpose text: String, caller: Caller) async throws -> Form {
        _ = try AccessPolicy.decide(.createForm, caller: caller).rule(or: "form")
        let purpose = try Form.validate(key: key, title: title, purpose: text)
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        let now = clock.now()
        do {
            try await database.transaction { connection in
                try await forms.insert(key: key, title: title, purpose: purpose, at: now, on: connection)
            }
        } catch let error where ConstraintViolation(error)?.kind == .unique {
            throw DossierError(
                .conflict,
                slug: .duplicateKey,
                detail: "A form with the key \(key) exists already.",
                fieldErrors: [FieldError("/key", "is taken")]
            )
        }
        return Form(
            key: key,
            title: title,
            purpose: purpose,
            productionVersion: nil,
            latestVersion: nil,
            createdAt: now,
            updatedAt: now
        )
    }

    public func versions(of key: String, caller: Caller) async throws -> [FormVersion] {
        _ = try AccessPolicy.decide(.listFormVersions, caller: caller).rule(or: "form")
        return try await database.read { connection in
            guard try await !forms.list(purpose: nil, key: key, on: connection).isEmpty else {
                throw DossierError.notFound("form")
            }
            return try await forms.versions(of: key, on: connection)
        }
    }

    public func version(_ key: String, _ number: Int, caller: Caller) async throws -> FormVersion {
        _ = try AccessPolicy.decide(.getFormVersion, caller: caller).rule(or: "form")
        guard let version = try await database.read({ try await forms.version(key, number, on: $0) }) else {
            throw DossierError.notFound("form version")
        }
        return version
    }

    public func createVersion(
        of key: String,
        definition: FormDefinition,
        notes: String?,
        caller: Caller
    ) async throws -> FormVersion {
        _ = try AccessPolicy.decide(.createFormVersion, caller: caller).rule(or: "form")
        var errors = FormDefinitionRules.validate(definition)
        if let notes, notes.count > 2_000 { errors.append(FieldError("/notes", "must be at most 2000 characters")) }
        guard errors.isEmpty else { throw DossierError.validation(errors) }
        let now = clock.now()
        return try await database.transaction { connection in
            guard try await forms.lock(key, on: connection) else { throw DossierError.notFound("form") }
            let number = try await forms.insertDraft(
                of: key,
                definition: definition,
                notes: notes,
                by: caller.personID,
                at: now,
                on: connection
            )
            guard let version = try await forms.version(key, number, on: connection) else {
                throw DossierError.notFound("form version")
            }
            return version
        }
    }

    /// Applies a merge patch to a draft, if `ifMatch` is its current ETag.
    public func updateVersion(
        _ key: String,
        _ number: Int,
        patch: FormVersionPatch,
        ifMatch: String?,
        caller: Caller
    ) async throws -> FormVersion {
        _ = try AccessPolicy.decide(.updateFormVersion, caller: caller).rule(or: "form")
        let now = clock.now()
        return try await database.transaction { connection in
            guard let version = try await forms.version(key, number, on: connection) else {
                throw DossierError.notFound("form version")
            }
            try Self.requireDraft(version)
            try Preconditions.check(ifMatch: ifMatch, etag: version.etag)
            let definition = patch.definition ?? version.definition
            let notes = patch.notes ?? version.notes
            var errors = FormDefinitionRules.validate(definition)
            if let notes, notes.count > 2_000 { errors.append(FieldError("/notes", "must be at most 2000 characters")) }
            guard errors.isEmpty else { throw DossierError.validation(errors) }
            guard
                try await forms.updateDraft(
                    key,
                    number,
                    definition: definition,
                    notes: notes,
                    expectedRevision: version.revision,
                    at: now,
                    on: connection
                ),
                let updated = try await forms.version(key, number, on: connection)
            else { throw Preconditions.stale }
            return updated
        }
    }

    public func move(_ key: String, _ number: Int, to text: String, caller: Caller) async throws -> FormVersion {
        _ = try AccessPolicy.decide(.changeFormVersionStatus, caller: caller).rule(or: "form")
        guard let status = FormVersion.Status(rawValue: text), status != .draft else {
            throw DossierError.validation([FieldError("/status", "must be testing, production or retired")])
        }
        let now = clock.now()
        return try await database.transaction { connection in
            guard try await forms.lock(key, on: connection),
                let version = try await forms.version(key, number, on: connection)
            else { throw DossierError.notFound("form version") }
            guard version.status.next.contains(status) else {
                let allowed = version.status.next.map(\.rawValue).sorted()
                throw DossierError(
                    .conflict,
                    slug: .invalidTransition,
                    detail:
                        "Version \(number) of \(key) is \(version.status.rawValue); it can move to \(allowed.isEmpty ? "nothing" : allowed.joined(separator: " or ")), not to \(status.rawValue).",
                    fieldErrors: [FieldError("/status", "is not a next status of \(version.status.rawValue)")]
                )
            }
            try await forms.move(key, number, to: status, at: now, on: connection)
            guard let moved = try await forms.version(key, number, on: connection) else {
                throw DossierError.notFound("form version")
            }
            return moved
        }
    }

    static func requireDraft(_ version: FormVersion) throws(DossierError) {
        guard version.status == .draft else {
            throw DossierError(
                .conflict,
                slug: .formVersionLocked,
                detail:
                    "Version \(version.version) of \(version.formKey) is \(version.status.rawValue); only a draft changes. Create a new version instead."
            )
        }
    }
}

/// A JSON Merge Patch of a draft form version: the definition is replaced whole.
public struct FormVersionPatch: Sendable {
    public var definition: FormDefinition?
    /// `.some(nil)` clears the notes.
    public var notes: String??

    public init(definition: FormDefinition? = nil, notes: String?? = nil) {
        self.definition = definition
        self.notes = notes
    }
}

/// The form version a response is filled in on, chosen and checked the same way for
/// assessments and progress records.
struct FormResponses: Sendable {
    private let forms = FormRepository()

    /// The production version of `key` or the requested one; refused when `key` is not a form of
    /// `purpose` or the version takes no responses. `isTest` for a testing version.
    func version(
        of key: String,
        purpose: Form.Purpose,
        requested: Int?,
        keyPointer: String,
        on connection: DatabaseConnection
    ) async throws -> (version: FormVersion, isTest: Bool) {
        guard let form = try await forms.list(purpose: nil, key: key, on: connection).first, form.purpose == purpose
        else {
            throw DossierError.validation([FieldError(keyPointer, "is not a form for \(purpose.rawValue)")])
        }
        guard let number = requested ?? form.productionVersion else {
            throw DossierError.validation([FieldError(keyPointer, "has no version in production yet")])
        }
        guard let version = try await forms.version(key, number, on: connection) else {
            throw DossierError.validation([FieldError("/form_version", "is not a version of \(key)")])
        }
        return (version, try version.acceptResponse())
    }

    /// Every bad answer at once, with its pointer (422).
    func check(_ answers: [String: JSONValue], against version: FormVersion) throws(DossierError) {
        let errors = FormAnswers.validate(answers, against: version.definition)
        guard errors.isEmpty else { throw DossierError.validation(errors) }
    }
}
