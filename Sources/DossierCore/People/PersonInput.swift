import Foundation

/// A new person as the client sent it, before validation: raw strings, so every bad field can
/// be reported at once instead of failing at the first type conversion.
public struct PersonInput: Sendable {
    public struct TraineeInput: Sendable {
        public var startDate: String?
        public var expectedEndDate: String?
        public var trainingYear: Int?
        public var site: String?
        public var groupID: String?

        public init(startDate: String?, expectedEndDate: String?, trainingYear: Int?, site: String?, groupID: String?) {
            self.startDate = startDate
            self.expectedEndDate = expectedEndDate
            self.trainingYear = trainingYear
            self.site = site
            self.groupID = groupID
        }
    }

    public var name: String
    public var email: String
    public var roles: [String]
    public var trainee: TraineeInput?

    public init(name: String, email: String, roles: [String], trainee: TraineeInput?) {
        self.name = name
        self.email = email
        self.roles = roles
        self.trainee = trainee
    }
}

/// A validated new person, ready to store.
public struct NewPerson: Sendable, Equatable {
    public let name: String
    public let email: String
    public let roles: Set<Role>
    public let trainee: TraineeProfile?
}

/// The rules a person's fields must keep; pure, and reporting every broken rule at once.
public enum PersonRules {
    public static let maximumNameLength = 200
    public static let maximumEmailLength = 254

    public static func validate(_ input: PersonInput) throws(DossierError) -> NewPerson {
        var errors: [FieldError] = []
        let name = validName(input.name, pointer: "/name", into: &errors)
        let email = validEmail(input.email, pointer: "/email", into: &errors)
        var roles: Set<Role> = []
        if input.roles.isEmpty { errors.append(FieldError("/roles", "must name at least one role")) }
        for (index, text) in input.roles.enumerated() {
            guard let role = Role(rawValue: text) else {
                let known = Role.allCases.map(\.rawValue).joined(separator: ", ")
                errors.append(FieldError("/roles/\(index)", "is not a role; use one of \(known)"))
                continue
            }
            roles.insert(role)
        }
        var trainee: TraineeProfile?
        if roles.contains(.trainee) {
            if let profile = input.trainee {
                trainee = validTrainee(profile, into: &errors)
            } else {
                errors.append(FieldError("/trainee", "is required for a person with the trainee role"))
            }
        } else if input.trainee != nil {
            errors.append(FieldError("/trainee", "is only for a person with the trainee role"))
        }
        guard errors.isEmpty, let name, let email else { throw .validation(errors) }
        return NewPerson(name: name, email: email, roles: roles, trainee: trainee)
    }

    static func validName(_ text: String, pointer: String, into errors: inout [FieldError]) -> String? {
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= maximumNameLength, !name.unicodeScalars.contains(where: { $0.value < 0x20 })
        else {
            errors.append(FieldError(pointer, "must be 1-\(maximumNameLength) characters without control characters"))
            return nil
        }
        return name
    }

    /// A deliberately plain check (one `@`, a dotted domain, no spaces): mail delivery is the real test.
    static func validEmail(_ text: String, pointer: String, into errors: inout [FieldError]) -> String? {
        let email = text.trimmingCharacters(in: .whitespaces)
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        let valid =
            email.utf8.count <= maximumEmailLength && parts.count == 2 && !parts[0].isEmpty
            && parts[1].contains(".") && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
            && !email.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," })
        guard valid else {
            errors.append(FieldError(pointer, "must be an e-mail address like name@example.org"))
            return nil
        }
        return email
    }

    static func validTrainee(_ input: PersonInput.TraineeInput, into errors: inout [FieldError]) -> TraineeProfile? {
        let start = date(input.startDate, pointer: "/trainee/start_date", into: &errors)
        let end = date(input.expectedEndDate, pointer: "/trainee/expected_end_date", into: &errors)
        if let start, let end, end <= start {
            errors.append(FieldError("/trainee/expected_end_date", "must be after start_date"))
        }
        var year: Int?
        if let value = input.trainingYear, (1...3).contains(value) {
            year = value
        } else {
            errors.append(FieldError("/trainee/training_year", "must be 1, 2 or 3"))
        }
        var site: Site?
        if let text = input.site, let value = Site(rawValue: text) {
            site = value
        } else {
            errors.append(FieldError("/trainee/site", "must be leiden or den_haag"))
        }
        var group: GroupID?
        if let text = input.groupID {
            group = GroupID(text)
            if group == nil { errors.append(FieldError("/trainee/group_id", "must be a UUID")) }
        }
        guard let start, let end, end > start, let year, let site else { return nil }
        return TraineeProfile(startDate: start, expectedEndDate: end, trainingYear: year, site: site, groupID: group)
    }

    static func date(_ text: String?, pointer: String, into errors: inout [FieldError]) -> CalendarDate? {
        guard let text else {
            errors.append(FieldError(pointer, "is required"))
            return nil
        }
        guard let date = CalendarDate(text) else {
            errors.append(FieldError(pointer, "must be a date YYYY-MM-DD"))
            return nil
        }
        return date
    }
}
