import Foundation
import HTTPTypes
import Hummingbird

/// An RFC 9457 problem as this API writes it (`application/problem+json`).
public struct ProblemDetails: Encodable, Sendable, Equatable {
    public struct FieldError: Encodable, Sendable, Equatable {
        public let pointer: String
        public let detail: String

        public init(pointer: String, detail: String) {
            self.pointer = pointer
            self.detail = detail
        }
    }

    public let type: String
    public let title: String
    public let status: Int
    public let detail: String
    public var instance: String?
    public let errors: [FieldError]?
    /// Extension members, written next to the standard ones.
    public var extensions: [String: String] = [:]
    /// Response headers that belong to the problem, such as `Allow` on a 405; not in the body.
    public var headers: HTTPFields = [:]

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (name, value) in extensions { try container.encode(value, forKey: Key(stringValue: name)) }
        try container.encode(type, forKey: Key(stringValue: "type"))
        try container.encode(title, forKey: Key(stringValue: "title"))
        try container.encode(status, forKey: Key(stringValue: "status"))
        try container.encode(detail, forKey: Key(stringValue: "detail"))
        try container.encodeIfPresent(instance, forKey: Key(stringValue: "instance"))
        try container.encodeIfPresent(errors, forKey: Key(stringValue: "errors"))
    }

    public init(_ kind: ProblemType, detail: String, errors: [FieldError] = [], headers: HTTPFields = [:]) {
        self.type = kind.uri
        self.title = kind.title
        self.status = Int(kind.status.code)
        self.detail = detail
        self.errors = errors.isEmpty ? nil : errors
        self.headers = headers
    }

    public static func == (lhs: ProblemDetails, rhs: ProblemDetails) -> Bool {
        lhs.type == rhs.type && lhs.status == rhs.status && lhs.detail == rhs.detail && lhs.errors == rhs.errors
            && lhs.instance == rhs.instance
    }

    func response(instance: String) -> Response {
        var problem = self
        problem.instance = instance
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(problem)) ?? Data(#"{"title":"Internal error","status":500}"#.utf8)
        var headers = self.headers
        headers[.contentType] = "application/problem+json; charset=utf-8"
        return Response(
            status: .init(code: status),
            headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: body))
        )
    }
}
