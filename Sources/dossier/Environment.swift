import DossierCore
import Foundation
import Logging

/// Start-up shared by every command: read configuration from the environment and set up logging.
enum Environment {
    static var variables: [String: String] { ProcessInfo.processInfo.environment }

    /// Loads a configuration part or ends the process with exit code 78 (EX_CONFIG) and one line
    /// per bad variable on standard error.
    static func load<Part: ConfigPart>(_ part: Part.Type) -> Part {
        do {
            return try Config.load(part, from: variables)
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            exit(78)
        }
    }

    /// Bootstraps swift-log once per process and returns the command's logger. The processes
    /// log to standard output (12-factor); commands whose standard output is their result (a
    /// token, an import report) log to standard error, so `TOKEN=$(dossier token create ...)` works.
    static func bootstrapLogging(label: String, toStandardError: Bool = false) -> Logger {
        let config = load(LoggingConfig.self)
        LoggingSystem.bootstrap { label in
            switch (config.format, toStandardError) {
            case (.json, false):
                return JSONLogHandler(label: label, level: config.level)
            case (.json, true):
                return JSONLogHandler(label: label, level: config.level) { line in
                    FileHandle.standardError.write(Data(line.utf8))
                }
            case (.text, _):
                var handler =
                    toStandardError
                    ? StreamLogHandler.standardError(label: label) : StreamLogHandler.standardOutput(label: label)
                handler.logLevel = config.level
                return handler
            }
        }
        return Logger(label: label)
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        exit(1)
    }
}
