import Foundation
import Logging
import Synchronization

/// Writes one JSON object per line to standard output, for log collectors (`LOG_FORMAT=json`).
/// Callers decide what goes into metadata; by convention that is never a body, an e-mail
/// address or a secret, so this handler needs no redaction of its own.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String
    private let output: @Sendable (String) -> Void

    public init(
        label: String,
        level: Logger.Level,
        output: @escaping @Sendable (String) -> Void = JSONLogHandler.standardOutput
    ) {
        self.label = label
        self.logLevel = level
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [(String, Logger.Metadata.Value)] = [
            ("ts", .string(Self.timestamp(Date()))),
            ("level", .string(event.level.rawValue)),
            ("label", .string(label)),
            ("msg", .string(event.message.description)),
        ]
        let merged = metadata.merging(event.metadata ?? [:]) { _, explicit in explicit }
        for key in merged.keys.sorted() where !["ts", "level", "label", "msg"].contains(key) {
            if let value = merged[key] { fields.append((key, value)) }
        }
        var line = "{"
        for (index, (key, value)) in fields.enumerated() {
            if index > 0 { line += "," }
            line += Self.quoted(key) + ":" + Self.encode(value)
        }
        output(line + "}\n")
    }

    public static let standardOutput: @Sendable (String) -> Void = { line in
        standardOutputLock.withLock { _ in
            FileHandle.standardOutput.write(Data(line.utf8))
        }
    }

    private static let standardOutputLock = Mutex(())

    private static func timestamp(_ date: Date) -> String { RFC3339.millisecondString(from: date) }

    private static func encode(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let string): quoted(string)
        case .stringConvertible(let convertible): quoted(convertible.description)
        case .array(let values): "[" + values.map(encode).joined(separator: ",") + "]"
        case .dictionary(let dictionary):
            "{"
                + dictionary.keys.sorted().map { quoted($0) + ":" + encode(dictionary[$0] ?? .string("")) }
                .joined(separator: ",") + "}"
        }
    }

    static func quoted(_ string: String) -> String {
        var result = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
