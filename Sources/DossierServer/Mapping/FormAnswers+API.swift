import DossierAPI
import DossierCore
import Foundation
import OpenAPIRuntime

/// Answers and other run-time shaped JSON cross the edge as JSON text, so the domain keeps
/// its own `JSONValue` and the generated containers stay at the edge.
enum FormAnswersMapping {
    static func answers(_ answers: Components.Schemas.FormAnswers) throws -> [String: JSONValue] {
        let data = try JSONEncoder().encode(answers.additionalProperties)
        return try JSONDecoder().decode([String: JSONValue].self, from: data)
    }

    static func api(_ answers: [String: JSONValue]) -> Components.Schemas.FormAnswers {
        let container = (try? JSONEncoder().encode(answers)).flatMap {
            try? JSONDecoder().decode(OpenAPIObjectContainer.self, from: $0)
        }
        return .init(additionalProperties: container ?? .init())
    }

    /// Decodes an untyped merge-patch member into a generated schema type; a mismatch is a 400
    /// naming the member.
    static func decode<T: Decodable>(
        _ type: T.Type,
        from value: any Sendable,
        pointer: String
    ) throws(DossierError)
        -> T
    {
        do {
            let data = try JSONEncoder().encode(OpenAPIValueContainer(unvalidatedValue: value))
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw MergePatch.wrongType(pointer)
        }
    }
}
