import DossierCore
import Foundation
import OpenAPIRuntime

/// Reading a JSON Merge Patch (RFC 7396) by hand from the runtime's untyped container, so that
/// `null` (clear) and an absent key (keep) stay apart; the generated Codable types merge them.
enum MergePatch {
    /// The patch's members in key order; a patch that is not an object is a 400.
    static func object(
        _ container: OpenAPIValueContainer
    ) throws(DossierError) -> [(key: String, value: (any Sendable)?)] {
        guard let object = container.value as? [String: (any Sendable)?] else {
            throw DossierError(.badRequest, slug: .malformedRequest, detail: "A merge patch must be a JSON object.")
        }
        return object.sorted(by: { $0.key < $1.key }).map { ($0.key, $0.value) }
    }

    static func field<T>(
        _ value: (any Sendable)?,
        _ pointer: String,
        as type: T.Type
    ) throws(DossierError) -> PatchField<T> {
        guard let value else { return .null }
        if T.self == [String].self, let array = value as? [(any Sendable)?] {
            let strings = array.compactMap { $0 as? String }
            if strings.count == array.count, let typed = strings as? T { return .value(typed) }
        } else if let typed = value as? T {
            return .value(typed)
        }
        throw wrongType(pointer)
    }

    /// A member that must hold a value: `null` is refused, since only some fields can be cleared.
    static func required<T: Sendable>(
        _ value: (any Sendable)?,
        _ pointer: String,
        as type: T.Type
    ) throws(DossierError) -> T {
        guard case .value(let typed) = try field(value, pointer, as: T.self) else {
            throw DossierError.validation([FieldError(pointer, "cannot be cleared")])
        }
        return typed
    }

    static func date(_ value: (any Sendable)?, _ pointer: String) throws(DossierError) -> Date {
        guard let date = RFC3339.date(from: try required(value, pointer, as: String.self)) else {
            throw DossierError.validation([FieldError(pointer, "must be an RFC 3339 date-time")])
        }
        return date
    }

    static func wrongType(_ pointer: String) -> DossierError {
        DossierError(
            .badRequest,
            slug: .malformedRequest,
            detail: "The field \(pointer) has the wrong type.",
            fieldErrors: [FieldError(pointer, "has the wrong type")]
        )
    }

    static func unknown(_ pointer: String) -> DossierError {
        DossierError(
            .badRequest,
            slug: .unknownField,
            detail: "The field \(pointer) is not accepted by this operation; remove it.",
            fieldErrors: [FieldError(pointer, "is not a field of this operation's request body")]
        )
    }
}
