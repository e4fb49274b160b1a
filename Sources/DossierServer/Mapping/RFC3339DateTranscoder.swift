import DossierCore
import Foundation
import OpenAPIRuntime

/// Date-times of bodies and parameters: read as full, strict RFC 3339 (fractional seconds and
/// offsets accepted, trailing text refused), written as before (`2026-11-23T09:00:00Z`).
/// `ParameterCheck` names a bad query date-time first; the decoding error, as the runtime's own
/// transcoder throws it, is the 400 for anything that still arrives here.
struct RFC3339DateTranscoder: DateTranscoder {
    func encode(_ date: Date) throws -> String { RFC3339.string(from: date) }

    func decode(_ text: String) throws -> Date {
        guard let date = RFC3339.date(from: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: [], debugDescription: "Expected an RFC 3339 date-time.")
            )
        }
        return date
    }
}
