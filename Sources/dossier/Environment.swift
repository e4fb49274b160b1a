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

    /// Bootstraps swift-log once per process and returns the command's logger.
    static func bootstrapLogging(label: String) -> Logger {
        let config = load(LoggingConfig.self)
        LoggingSystem.bootstrap { label in
            switch config.format {
            case .json:
                return JSONLogHandler(label: label, level: config.level)
            case .text:
                var handler = StreamLogHandler.standardOutput(label: label)
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
