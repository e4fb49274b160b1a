import DossierCore
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
