/// A configuration variable that is missing or malformed; its description is the one line
/// printed at start-up, naming the variable and never echoing a secret value.
public struct ConfigError: Error, Equatable, CustomStringConvertible, Sendable {
    public let variable: String
    public let problem: String

    public init(variable: String, problem: String) {
        self.variable = variable
        self.problem = problem
    }

    public var description: String { "\(variable): \(problem)" }
}

/// Every problem found in the environment at once, so an operator fixes them in one go.
public struct ConfigErrors: Error, Equatable, CustomStringConvertible, Sendable {
    public let errors: [ConfigError]

    public var description: String {
        errors.map { "configuration error: \($0)" }.joined(separator: "\n")
    }
}
