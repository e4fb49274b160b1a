/// Describes a JSON body the generated decoder rejected, with a JSON Pointer to the field.
enum DecodingProblem {
    static func problem(for error: DecodingError) -> ProblemDetails {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return ProblemDetails(.malformedRequest, detail: "The request body is not valid JSON.")
        case .dataCorrupted(let context) where context.debugDescription.hasPrefix("Additional properties are disabled"):
            let pointer = pointer(context.codingPath)
            return ProblemDetails(
                .unknownField,
                detail: "The field \(pointer) is not accepted by this operation; remove it.",
                errors: [.init(pointer: pointer, detail: "is not a field of this operation's request body")]
            )
        case .dataCorrupted(let context):
            return invalid(context.codingPath, "has an invalid value")
        case .keyNotFound(let key, let context):
            return invalid(context.codingPath + [key], "is required")
        case .valueNotFound(_, let context):
            return invalid(context.codingPath, "must not be null")
        case .typeMismatch(let type, let context):
            return invalid(context.codingPath, "must be \(describe(type))")
        @unknown default:
            return ProblemDetails(.malformedRequest, detail: "The request body could not be read.")
        }
    }

    private static func invalid(_ path: [any CodingKey], _ detail: String) -> ProblemDetails {
        let pointer = pointer(path)
        return ProblemDetails(
            .malformedRequest,
            detail: "The field \(pointer) \(detail).",
            errors: [.init(pointer: pointer, detail: detail)]
        )
    }

    /// RFC 6901: `~` and `/` inside a key are escaped as `~0` and `~1`.
    static func pointer(_ path: [any CodingKey]) -> String {
        guard !path.isEmpty else { return "" }
        return path.map { key in
            if let index = key.intValue { return "/\(index)" }
            return "/" + key.stringValue.replacing("~", with: "~0").replacing("/", with: "~1")
        }.joined()
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "true or false"
        case _ where "\(type)".hasPrefix("Array"): "an array"
        default: "an object"
        }
    }
}
