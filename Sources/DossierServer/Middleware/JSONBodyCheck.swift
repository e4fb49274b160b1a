import DossierCore
import Foundation
import HTTPTypes
import OpenAPIRuntime

/// What the generated decoder cannot report well in a JSON body, checked before it runs, with a
/// pointer to every field at fault (422):
/// - the NUL character (`\u0000`), which PostgreSQL cannot store in `text` or `jsonb`: without
///   this it surfaces as a 500 from the driver;
/// - an integer beyond the `int32` that every integer of a request body is: Foundation's decoder
///   reports it as "not valid JSON", naming no field.
enum JSONBodyCheck {
    /// The body, collected, when it is JSON and holds nothing to refuse; any other body as it came.
    static func check(_ request: HTTPRequest, _ body: HTTPBody?, maximumBytes: Int) async throws -> HTTPBody? {
        guard let body, let type = request.headerFields[.contentType]?.lowercased(),
            type.hasPrefix("application/json") || type.hasPrefix("application/merge-patch+json")
        else { return body }
        let bytes = try await [UInt8](collecting: body, upTo: maximumBytes)
        let errors = problems(in: bytes)
        guard errors.isEmpty else { throw DossierError.validation(errors) }
        return HTTPBody(bytes)
    }

    /// Only a body with a NUL escape or a long run of digits is parsed a second time; one that is
    /// not JSON is left for the decoder to report.
    static func problems(in bytes: [UInt8]) -> [FieldError] {
        guard mayHoldProblems(bytes),
            let root = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        else { return [] }
        var errors: [FieldError] = []
        walk(root, pointer: "", into: &errors)
        return errors
    }

    /// Whether `\u0000` occurs as an escape (not as `\\u0000`, an escaped backslash and text), or
    /// ten digits in a row, the shortest number beyond `int32`.
    private static func mayHoldProblems(_ bytes: [UInt8]) -> Bool {
        var index = 0
        var digits = 0
        while index < bytes.count {
            let byte = bytes[index]
            digits = (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? digits + 1 : 0
            if digits >= 10 { return true }
            if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                if bytes[index + 1] == UInt8(ascii: "u"), index + 5 < bytes.count,
                    bytes[(index + 2)...(index + 5)].allSatisfy({ $0 == UInt8(ascii: "0") })
                {
                    return true
                }
                index += 2
            } else {
                index += 1
            }
        }
        return false
    }

    private static func walk(_ node: Any, pointer: String, into errors: inout [FieldError]) {
        switch node {
        case let text as String where text.unicodeScalars.contains("\u{0}"):
            errors.append(.containsNUL(pointer))
        case let number as NSNumber where !(node is Bool):
            let value = number.doubleValue
            if value.rounded() == value, value > Double(Int32.max) || value < Double(Int32.min) {
                errors.append(FieldError(pointer, "is out of range; see the bounds of this field in openapi.yaml"))
            }
        case let object as [String: Any]:
            for key in object.keys.sorted() {
                let child = pointer + "/" + key.replacing("~", with: "~0").replacing("/", with: "~1")
                if key.unicodeScalars.contains("\u{0}") {
                    errors.append(.containsNUL(child))
                }
                walk(object[key] as Any, pointer: child, into: &errors)
            }
        case let array as [Any]:
            for (index, element) in array.enumerated() { walk(element, pointer: "\(pointer)/\(index)", into: &errors) }
        default:
            break
        }
    }
}
