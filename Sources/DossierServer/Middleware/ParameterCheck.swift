import DossierAPI
import DossierCore
import Foundation
import HTTPTypes
import OpenAPIRuntime

/// The query and path parameters of an operation against the contract, checked before the
/// generated decoder runs, which checks types only and names no parameter when one is wrong.
/// Every bad query parameter is reported at once (422, `#/query/<name>`); a path parameter that
/// cannot name a resource is 404. Text PostgreSQL cannot store (NUL) is refused here too.
enum ParameterCheck {
    /// Throws the problem of the first bad path parameter (404), or of every bad query parameter.
    static func check(_ request: HTTPRequest, _ metadata: ServerRequestMetadata, operationID: String) throws {
        let declared = ContractParameter.byOperation[operationID] ?? []
        for parameter in declared where parameter.location == .path {
            guard let raw = metadata.pathParameters[parameter.name] else { continue }
            let value = String(raw).removingPercentEncoding ?? String(raw)
            if let problem = problem(with: value, for: parameter) {
                throw DossierError(
                    .notFound,
                    slug: .notFound,
                    detail: "No resource exists at this path: \(parameter.name) \(problem).",
                    fieldErrors: [FieldError("#/path/\(parameter.name)", problem)]
                )
            }
        }
        var errors: [FieldError] = []
        let query = queryItems(of: request.path ?? "")
        for (name, value) in query where (name + value).unicodeScalars.contains("\u{0}") {
            errors.append(.containsNUL("#/query/\(name)"))
        }
        for parameter in declared where parameter.location == .query {
            for value in query.filter({ $0.name == parameter.name }).map(\.value)
            where !value.unicodeScalars.contains("\u{0}") {
                if let problem = problem(with: value, for: parameter) {
                    errors.append(FieldError("#/query/\(parameter.name)", problem))
                }
            }
        }
        guard errors.isEmpty else {
            throw DossierError(
                .validation,
                slug: .invalidParameter,
                detail: errors.count == 1
                    ? "The query parameter \(errors[0].pointer.dropFirst(8)) \(errors[0].detail)."
                    : "\(errors.count) query parameters break a rule; see errors.",
                fieldErrors: errors
            )
        }
    }

    /// What is wrong with `value` for `parameter`, or nil when it is as declared.
    static func problem(with value: String, for parameter: ContractParameter) -> String? {
        if value.unicodeScalars.contains("\u{0}") { return FieldError.nulDetail }
        switch parameter.kind {
        case .unchecked:
            return nil
        case .boolean:
            return value == "true" || value == "false" ? nil : "must be true or false"
        case .integer(let minimum, let maximum):
            let range = "an integer from \(minimum.map(String.init) ?? "any") to \(maximum.map(String.init) ?? "any")"
            guard let number = Int(value), number >= (minimum ?? Int.min), number <= (maximum ?? Int.max) else {
                return "must be \(range)"
            }
            return nil
        case .string(let format, let values, let minimumLength, let maximumLength):
            if let values, !values.contains(value) {
                return "must be one of \(values.joined(separator: ", "))"
            }
            if let minimumLength, value.count < minimumLength {
                return "must have at least \(minimumLength) characters"
            }
            if let maximumLength, value.count > maximumLength {
                return "must have at most \(maximumLength) characters"
            }
            switch format {
            case "uuid" where UUID(uuidString: value) == nil:
                return "must be a UUID"
            case "date-time" where RFC3339.date(from: value) == nil:
                return value.contains(" ")
                    ? "must be an RFC 3339 date-time; a + in a query is a space unless sent as %2B"
                    : "must be an RFC 3339 date-time such as 2026-11-23T09:00:00Z or 2026-11-23T10:00:00.5+01:00"
            case "date" where CalendarDate(value) == nil:
                return "must be a date YYYY-MM-DD"
            default:
                return nil
            }
        }
    }

    /// The decoded query items, with `+` as a space as the generated decoder reads them.
    static func queryItems(of path: String) -> [(name: String, value: String)] {
        guard let query = path.split(separator: "?", maxSplits: 1).dropFirst().first else { return [] }
        return query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }
}
