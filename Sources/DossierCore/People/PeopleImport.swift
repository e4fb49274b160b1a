import Foundation

/// What an import did, or would do on a dry run, row by row.
public struct PeopleImportReport: Sendable, Equatable {
    public enum Action: String, Sendable {
        case created
        case updated
        case unchanged
    }

    public struct Row: Sendable, Equatable {
        public let line: Int
        public let email: String
        public let action: Action
        /// Nil for a person a dry run would create.
        public let id: PersonID?
    }

    public let dryRun: Bool
    public let rows: [Row]

    public func count(_ action: Action) -> Int { rows.filter { $0.action == action }.count }
}

extension PersonService {
    /// Imports people from CSV: every row is validated first and every problem reported with its
    /// line; if any row is bad nothing is imported. Rows upsert by e-mail, all in one transaction;
    /// an existing person keeps their name, and only an admin changes the admin or coordinator role.
    /// `caller` nil is the operator on the server's shell (`dossier import people`).
    public func importPeople(
        csv: String,
        dryRun: Bool,
        caller: Caller?,
        progress: @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> PeopleImportReport {
        let rule = try caller.map { (caller) throws(DossierError) in
            try AccessPolicy.decide(.importPeople, caller: caller).rule(or: "person")
        }
        let rows = try PeopleCSV.parse(csv)
        var validated: [(line: Int, person: NewPerson)] = []
        var errors: [FieldError] = []
        var lineOfEmail: [String: Int] = [:]
        for row in rows {
            let email = row.input.email.trimmingCharacters(in: .whitespaces).lowercased()
            do {
                if let earlier = lineOfEmail[email] {
                    errors.append(FieldError("/rows/\(row.line)/email", "is also on line \(earlier)"))
                }
                lineOfEmail[email] = lineOfEmail[email] ?? row.line
                validated.append((row.line, try PersonRules.validate(row.input)))
            } catch {
                errors += error.fieldErrors.map {
                    FieldError(
                        "/rows/\(row.line)" + $0.pointer.replacingOccurrences(of: "/trainee", with: ""),
                        $0.detail
                    )
                }
            }
        }
        guard errors.isEmpty else { throw DossierError.validation(errors) }
        let now = clock.now()
        return try await database.transaction { connection in
            var report: [PeopleImportReport.Row] = []
            var failures: [FieldError] = []
            var refused: [FieldError] = []
            for (index, entry) in validated.enumerated() {
                progress(index + 1, validated.count)
                let (line, new) = entry
                let existing = try await people.findByEmail(new.email, on: connection)
                if let refusal = RoleGrants.refusal(
                    from: existing?.roles ?? [],
                    to: new.roles,
                    caller: caller,
                    pointer: "/rows/\(line)/roles"
                ) {
                    refused.append(refusal)
                    continue
                }
                guard var existing else {
                    let id = PersonID.generate()
                    if !dryRun { try await people.insert(new, id: id, at: now, on: connection) }
                    report.append(.init(line: line, email: new.email, action: .created, id: dryRun ? nil : id))
                    continue
                }
                if existing.trainee != nil && new.trainee == nil {
                    failures.append(
                        FieldError("/rows/\(line)/roles", "cannot remove the trainee role of an existing trainee")
                    )
                    continue
                }
                let version = existing.version
                let before = existing
                // The name stays as the person or an admin last set it: a nightly feed must not
                // undo a correction made through PATCH.
                existing.roles = new.roles
                if var profile = new.trainee, let current = existing.trainee {
                    profile.status = current.status
                    profile.completedAt = current.completedAt
                    existing.trainee = profile
                }
                let addsProfile = before.trainee == nil && new.trainee != nil
                guard existing != before || addsProfile else {
                    report.append(.init(line: line, email: new.email, action: .unchanged, id: existing.id))
                    continue
                }
                if !dryRun {
                    _ = try await people.update(existing, expectedVersion: version, at: now, on: connection)
                    if addsProfile, let profile = new.trainee {
                        try await people.insertProfile(profile, for: existing.id, on: connection)
                    }
                }
                report.append(.init(line: line, email: new.email, action: .updated, id: existing.id))
            }
            guard refused.isEmpty else { throw RoleGrants.forbidden(refused) }
            guard failures.isEmpty else { throw DossierError.validation(failures) }
            if !dryRun, let caller, let rule {
                // The operator's shell import has no caller; its trace is the shell's own audit.
                for action in [PeopleImportReport.Action.created, .updated] {
                    let ids = report.filter { $0.action == action }.compactMap(\.id)
                    var touched: [Person] = []
                    for id in ids {
                        if let person = try await people.find(id, on: connection) { touched.append(person) }
                    }
                    try await logAccess(
                        touched,
                        action: action == .created ? .create : .update,
                        rule: rule,
                        caller: caller,
                        on: connection
                    )
                }
            }
            return PeopleImportReport(dryRun: dryRun, rows: report)
        }
    }
}
