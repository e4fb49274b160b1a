/// A field of a JSON Merge Patch (RFC 7396): absent leaves it, null clears it, a value sets it.
public enum PatchField<Value: Sendable>: Sendable {
    case absent
    case null
    case value(Value)
}

/// The changes a PATCH of a person asks for, decoded by hand at the edge so that null and
/// absent stay distinct.
public struct PersonPatch: Sendable {
    public var name: PatchField<String> = .absent
    public var email: PatchField<String> = .absent
    public var roles: PatchField<[String]> = .absent
    public var expectedEndDate: PatchField<String> = .absent
    public var trainingYear: PatchField<Int> = .absent
    public var site: PatchField<String> = .absent
    public var groupID: PatchField<String> = .absent
    /// Pointers of server-owned fields the client tried to set (`/id`, `/trainee/status`, ...).
    public var serverOwned: [String] = []

    public init() {}

    var touchesIdentity: Bool {
        if case .absent = name, case .absent = email { return false }
        return true
    }

    var touchesRoles: Bool {
        if case .absent = roles { return false }
        return true
    }

    var touchesTrainee: Bool {
        switch (expectedEndDate, trainingYear, site, groupID) {
        case (.absent, .absent, .absent, .absent): false
        default: true
        }
    }

    /// Applies the patch to `person` under the rule that allowed the caller, reporting every
    /// field that breaks a rule or is not the caller's to change.
    func apply(to person: Person, rule: String, callerIsSubject: Bool) throws(DossierError) -> Person {
        var errors = serverOwned.map { FieldError($0, "is set by the server and cannot be changed") }
        var updated = person
        if touchesIdentity && !(rule == "own" || rule == "admin") {
            errors.append(FieldError(pointerOfIdentity, "may only be changed by the person themself or an admin"))
        }
        if touchesRoles && (rule != "admin" || callerIsSubject) {
            errors.append(
                FieldError(
                    "/roles",
                    callerIsSubject ? "cannot be changed on yourself" : "may only be changed by an admin"
                )
            )
        }
        if touchesTrainee && !(rule == "admin" || rule == "coordinator") {
            errors.append(FieldError("/trainee", "may only be changed by a coordinator or an admin"))
        }
        switch name {
        case .absent: break
        case .null: errors.append(FieldError("/name", "cannot be cleared"))
        case .value(let text):
            updated.name = PersonRules.validName(text, pointer: "/name", into: &errors) ?? person.name
        }
        switch email {
        case .absent: break
        case .null: errors.append(FieldError("/email", "cannot be cleared"))
        case .value(let text):
            updated.email = PersonRules.validEmail(text, pointer: "/email", into: &errors) ?? person.email
        }
        switch roles {
        case .absent: break
        case .null: errors.append(FieldError("/roles", "cannot be cleared"))
        case .value(let texts):
            var roles: Set<Role> = []
            for (index, text) in texts.enumerated() {
                if let role = Role(rawValue: text) {
                    roles.insert(role)
                } else {
                    errors.append(FieldError("/roles/\(index)", "is not a role"))
                }
            }
            if texts.isEmpty { errors.append(FieldError("/roles", "must name at least one role")) }
            if roles.contains(.trainee) != person.roles.contains(.trainee) {
                errors.append(FieldError("/roles", "cannot add or remove the trainee role; create the trainee as such"))
            }
            updated.roles = roles
        }
        if touchesTrainee {
            if var trainee = person.trainee {
                applyTrainee(to: &trainee, errors: &errors)
                updated.trainee = trainee
            } else {
                errors.append(FieldError("/trainee", "is only for a person with the trainee role"))
            }
        }
        guard errors.isEmpty else { throw .validation(errors) }
        return updated
    }

    private var pointerOfIdentity: String {
        if case .absent = name { return "/email" }
        return "/name"
    }

    private func applyTrainee(to trainee: inout TraineeProfile, errors: inout [FieldError]) {
        switch expectedEndDate {
        case .absent: break
        case .null: errors.append(FieldError("/trainee/expected_end_date", "cannot be cleared"))
        case .value(let text):
            if let date = CalendarDate(text) {
                if date <= trainee.startDate {
                    errors.append(FieldError("/trainee/expected_end_date", "must be after start_date"))
                }
                trainee.expectedEndDate = date
            } else {
                errors.append(FieldError("/trainee/expected_end_date", "must be a date YYYY-MM-DD"))
            }
        }
        switch trainingYear {
        case .absent: break
        case .value(let year) where (1...3).contains(year): trainee.trainingYear = year
        default: errors.append(FieldError("/trainee/training_year", "must be 1, 2 or 3"))
        }
        switch site {
        case .absent: break
        case .value(let text) where Site(rawValue: text) != nil: trainee.site = Site(rawValue: text) ?? trainee.site
        default: errors.append(FieldError("/trainee/site", "must be leiden or den_haag"))
        }
        switch groupID {
        case .absent: break
        case .null: trainee.groupID = nil
        case .value(let text):
            if let id = GroupID(text) {
                trainee.groupID = id
            } else {
                errors.append(FieldError("/trainee/group_id", "must be a UUID"))
            }
        }
    }
}
