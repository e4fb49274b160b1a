import DossierCore
import Foundation
import OpenAPIRuntime

/// Date-times of bodies and parameters: read as full, strict RFC 3339 (fractional seconds and
/// offsets accepted, trailing text refused), written as before (`2026-11-23T09:00:00Z`).
struct RFC3339DateTranscoder: DateTranscoder {
    /// Names the text that is not a date-time, so the problem can point at the parameter.
    struct Invalid: Error {
        let text: String
    }

    func encode(_ date: Date) throws -> String { try ISO8601DateTranscoder.iso8601.encode(date) }

    func decode(_ text: String) throws -> Date {
        guard let date = RFC3339.date(from: text) else { throw Invalid(text: text) }
        return date
    }
}
