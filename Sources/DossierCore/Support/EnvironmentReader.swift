import Foundation

/// Reads typed values from an environment dictionary and collects every problem instead of
/// stopping at the first, so `Config` can report all bad variables in one start-up attempt.
public struct EnvironmentReader {
    public let environment: [String: String]
    public private(set) var errors: [ConfigError] = []

    public init(_ environment: [String: String]) {
        self.environment = environment
    }

    /// A set, non-blank value; blank counts as unset so `FOO= dossier serve` behaves like unset.
    public func value(_ name: String) -> String? {
        guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        return raw
    }

    public mutating func required(_ name: String) -> String? {
        guard let value = value(name) else {
            errors.append(ConfigError(variable: name, problem: "is required but not set"))
            return nil
        }
        return value
    }

    public mutating func parse<T>(
        _ name: String,
        default defaultValue: T,
        expected: String,
        _ parse: (String) -> T?
    ) -> T {
        guard let raw = value(name) else { return defaultValue }
        guard let parsed = parse(raw) else {
            errors.append(ConfigError(variable: name, problem: "must be \(expected)"))
            return defaultValue
        }
        return parsed
    }

    public mutating func fail(_ name: String, _ problem: String) {
        errors.append(ConfigError(variable: name, problem: problem))
    }
}
