import Foundation

/// A running `scripts/smtp-sink` (aiosmtpd on loopback) and the directory it writes each
/// message it accepted to. Every wait for the child happens on a thread of its own: a test
/// blocked on a pipe would hold one of the concurrency pool's two threads.
public struct SMTPSink: Sendable {
    public let port: Int
    public let maildir: URL
    private let process: Process

    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    public static func start(_ arguments: [String] = []) async throws -> SMTPSink {
        try await offPool { try startBlocking(arguments) }
    }

    private static func startBlocking(_ arguments: [String]) throws -> SMTPSink {
        let maildir = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-sink-\(UUID())")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [root.appendingPathComponent("scripts/smtp-sink").path, maildir.path] + arguments
        let output = Pipe()
        process.standardOutput = output
        // aiosmtpd prints a traceback for every client that gives up mid-session, as some tests do.
        process.standardError = FileHandle.nullDevice
        try process.run()
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("\n") {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            seen += chunk
        }
        let line = String(decoding: seen, as: UTF8.self)
        guard let match = line.firstMatch(of: /listening on 127\.0\.0\.1:(\d+)/), let port = Int(match.output.1)
        else { throw Failure(output: line) }
        return SMTPSink(port: port, maildir: maildir, process: process)
    }

    /// The interpreter with aiosmtpd: `DOSSIER_TEST_SMTP_PYTHON`, or `.venv-tools` (scripts/test).
    public static var python: String {
        ProcessInfo.processInfo.environment["DOSSIER_TEST_SMTP_PYTHON"]
            ?? root.appendingPathComponent(".venv-tools/bin/python").path
    }

    /// Every message received so far, in order of arrival.
    public var messages: [[UInt8]] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: maildir.path)) ?? []
        return names.filter { $0.hasSuffix(".eml") }.sorted().compactMap {
            FileManager.default.contents(atPath: maildir.appendingPathComponent($0).path).map { [UInt8]($0) }
        }
    }

    public func stop() {
        process.terminate()
        let (process, maildir) = (process, maildir)
        DispatchQueue.global().async {
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: maildir)
        }
    }

    /// Runs `body` on a thread of its own, so waiting for a child process blocks no task.
    public static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result(catching: body)) }.start()
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        let output: String
        public var description: String {
            "scripts/smtp-sink did not start (is aiosmtpd in .venv-tools? scripts/test installs it): \(output)"
        }
    }
}
