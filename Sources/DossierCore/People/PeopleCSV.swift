import Foundation

/// The people import format: UTF-8 CSV (RFC 4180) with exactly this header; `roles` holds one or
/// more roles separated by `;`; the trainee columns are empty for non-trainees.
public enum PeopleCSV {
    public static let header = [
        "name", "email", "roles", "start_date", "expected_end_date", "training_year", "site", "group_id",
    ]

    public struct Row: Sendable {
        public let line: Int
        public let input: PersonInput
    }

    /// Every row as input for `PersonRules`, or every problem of the file at once, each with its
    /// line (`/rows/37/start_date`).
    public static func parse(_ text: String) throws(DossierError) -> [Row] {
        let records = records(in: text)
        guard let first = records.first, first.fields.map({ $0.lowercased() }) == header else {
            throw DossierError.validation([
                FieldError("/rows/1", "must be the header \(header.joined(separator: ","))")
            ])
        }
        var rows: [Row] = []
        var errors: [FieldError] = []
        for record in records.dropFirst() where !(record.fields.count == 1 && record.fields[0].isEmpty) {
            if let column = record.fields.firstIndex(where: { $0.unicodeScalars.contains("\u{0}") }) {
                let name = column < header.count ? header[column] : "\(column + 1)"
                errors.append(.containsNUL("/rows/\(record.line)/\(name)"))
                continue
            }
            guard record.fields.count == header.count else {
                errors.append(
                    FieldError("/rows/\(record.line)", "has \(record.fields.count) fields, expected \(header.count)")
                )
                continue
            }
            let field = { (name: String) -> String? in
                guard let index = header.firstIndex(of: name) else { return nil }
                let value = record.fields[index].trimmingCharacters(in: .whitespaces)
                return value.isEmpty ? nil : value
            }
            let roles = (field("roles") ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            var year: Int?
            if let text = field("training_year") {
                year = Int(text)
                if year == nil { errors.append(FieldError("/rows/\(record.line)/training_year", "must be 1, 2 or 3")) }
            }
            let traineeColumns = ["start_date", "expected_end_date", "training_year", "site", "group_id"]
            let trainee: PersonInput.TraineeInput? =
                traineeColumns.contains(where: { field($0) != nil })
                ? .init(
                    startDate: field("start_date"),
                    expectedEndDate: field("expected_end_date"),
                    trainingYear: year,
                    site: field("site"),
                    groupID: field("group_id")
                )
                : nil
            rows.append(
                Row(
                    line: record.line,
                    input: PersonInput(
                        name: field("name") ?? "",
                        email: field("email") ?? "",
                        roles: roles,
                        trainee: trainee
                    )
                )
            )
        }
        guard errors.isEmpty else { throw DossierError.validation(errors) }
        return rows
    }

    /// RFC 4180 records with the line each starts on; quoted fields may hold commas, quotes
    /// (doubled) and line breaks.
    static func records(in text: String) -> [(line: Int, fields: [String])] {
        var records: [(Int, [String])] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var line = 1
        var recordLine = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = iterator.next()
        while let scalar = pending {
            pending = iterator.next()
            if quoted {
                if scalar == "\"" {
                    if pending == "\"" {
                        field.unicodeScalars.append("\"")
                        pending = iterator.next()
                    } else {
                        quoted = false
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty: quoted = true
            case ",":
                fields.append(field)
                field = ""
            case "\r" where pending == "\n": break
            case "\n", "\r":
                fields.append(field)
                records.append((recordLine, fields))
                fields = []
                field = ""
                line += 1
                recordLine = line
            default: field.unicodeScalars.append(scalar)
            }
        }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            records.append((recordLine, fields))
        }
        return records
    }
}
