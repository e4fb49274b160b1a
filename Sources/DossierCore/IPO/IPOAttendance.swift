import Foundation

/// One line of attendance as a coordinator sends it: a trainee, by id or by e-mail address
/// (a sign-in list), and whether they were there. `pointer` names the line in errors.
public struct IPOAttendanceRecord: Sendable, Equatable {
    public enum Person: Sendable, Equatable {
        case id(PersonID)
        case email(String)
    }

    public let person: Person
    public let attended: Bool
    public let pointer: String

    public init(person: Person, attended: Bool, pointer: String) {
        self.person = person
        self.attended = attended
        self.pointer = pointer
    }
}

/// A session's attendance as recorded.
public struct IPOSessionAttendance: Sendable, Equatable {
    public struct Mark: Sendable, Equatable {
        public let personID: PersonID
        public let attended: Bool
        public let recordedAt: Date
    }

    public let activityID: IPOActivity.ID
    public let session: IPOActivity.Session
    public let enrolled: Int
    public let marks: [Mark]
    /// The activity's evaluation, once attendance of its last session has assigned it.
    public let evaluationID: Evaluation.ID?
}

/// A sign-in list as UTF-8 CSV (RFC 4180): a header with `person_id` or `email`, and optionally
/// `attended` (yes/no, true/false, 1/0, present/absent; empty is yes). Other columns, such as a
/// name or a signature, are ignored. Lines are named by their number (`/rows/3/email`).
public enum IPOSignInSheet {
    public static func parse(_ text: String) throws(DossierError) -> [IPOAttendanceRecord] {
        let records = PeopleCSV.records(in: text)
        guard let header = records.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
            throw DossierError.validation([FieldError("/rows/1", "must be a header naming person_id or email")])
        }
        let idColumn = header.firstIndex(of: "person_id")
        let emailColumn = header.firstIndex(of: "email")
        let attendedColumn = header.firstIndex(of: "attended")
        guard idColumn != nil || emailColumn != nil else {
            throw DossierError.validation([FieldError("/rows/1", "must be a header naming person_id or email")])
        }
        var parsed: [IPOAttendanceRecord] = []
        var errors: [FieldError] = []
        for record in records.dropFirst()
        where !record.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            let line = "/rows/\(record.line)"
            func field(_ column: Int?) -> String? {
                guard let column, column < record.fields.count else { return nil }
                let value = record.fields[column].trimmingCharacters(in: .whitespaces)
                return value.isEmpty ? nil : value
            }
            if record.fields.contains(where: { $0.unicodeScalars.contains("\u{0}") }) {
                errors.append(.containsNUL(line))
                continue
            }
            let attendedText = field(attendedColumn)?.lowercased()
            let attended: Bool? =
                switch attendedText {
                case nil, "yes", "y", "true", "1", "present", "x", "ja": true
                case "no", "n", "false", "0", "absent", "nee": false
                default: nil
                }
            guard let attended else {
                errors.append(FieldError("\(line)/attended", "must be yes or no"))
                continue
            }
            if let text = field(idColumn) {
                guard let id = PersonID(text) else {
                    errors.append(FieldError("\(line)/person_id", "must be a UUID"))
                    continue
                }
                parsed.append(.init(person: .id(id), attended: attended, pointer: "\(line)/person_id"))
            } else if let email = field(emailColumn), (3...254).contains(email.count) {
                parsed.append(.init(person: .email(email), attended: attended, pointer: "\(line)/email"))
            } else {
                errors.append(FieldError(line, "must name a trainee by person_id or email"))
            }
        }
        if parsed.count > 2_000 { errors.append(FieldError("/rows", "must list at most 2000 trainees")) }
        guard errors.isEmpty else { throw DossierError.validation(errors) }
        guard !parsed.isEmpty else { throw DossierError.validation([FieldError("/rows", "lists nobody")]) }
        return parsed
    }
}
