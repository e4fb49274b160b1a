import Foundation

/// The `dossier` binary run as a real process, for what only a process shows: exit codes,
/// start-up refusals, signals, and `kill -9` at a failpoint. Output goes to files that the test
/// polls, so a hung process cannot block the test runner on a pipe.
public final class DossierProcess: @unchecked Sendable {
    public struct Timeout: Error, CustomStringConvertible {
        public let waitingFor: String
        public let output: String
        public var description: String { "timed out waiting for \(waitingFor); output so far:\n\(output)" }
    }

    /// `DOSSIER_BINARY` (set by `make test`), or the debug build in the package.
    public static var binary: String {
        ProcessInfo.processInfo.environment["DOSSIER_BINARY"]
            ?? PackagePaths.root.appendingPathComponent(".build/debug/dossier").path
    }

    private let process = Process()
    private let stdoutURL: URL
    private let stderrURL: URL

    /// Starts `dossier ARGUMENTS` with exactly `environment` (plus PATH), nothing inherited.
    public init(_ arguments: [String], environment: [String: String]) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "dossier-process-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        stdoutURL = folder.appendingPathComponent("stdout")
        stderrURL = folder.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { own, _ in own }
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
    }

    public var standardOutput: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    public var standardError: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// Waits until standard output or error contains `text` and returns that stream's content.
    @discardableResult
    public func waitForOutput(containing text: String, timeout: Duration = .seconds(60)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            for output in [standardOutput, standardError] where output.contains(text) { return output }
            if !process.isRunning && ![standardOutput, standardError].contains(where: { $0.contains(text) }) {
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Timeout(waitingFor: text, output: standardOutput + standardError)
    }

    public func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the process to end and returns its exit status (or the signal that ended it).
    public func waitForExit(timeout: Duration = .seconds(60)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                process.terminate()
                throw Timeout(waitingFor: "exit", output: standardOutput + standardError)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return process.terminationStatus
    }

    public var endedBySignal: Bool { process.terminationReason == .uncaughtSignal }
}
