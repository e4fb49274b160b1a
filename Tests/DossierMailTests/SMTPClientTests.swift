import DossierTestSupport
import Foundation
import NIOSSL
import Testing

@testable import DossierMail

/// The client against a real SMTP server on loopback (aiosmtpd, through `scripts/smtp-sink`).
/// One at a time, and every wait for a process off the concurrency pool: a test blocked on a
/// child's pipe would hold one of the pool's two threads here, which the other suites need.
@Suite(.serialized) struct SMTPClientTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let anna = MailAddress("anna@example.org")!
    static let sender = MailAddress("digest@dossier.example")!

    typealias Sink = SMTPSink

    /// A throwaway certificate for localhost, and a TLS configuration that trusts only it.
    static func certificate() async throws -> (cert: String, key: String, tls: TLSConfiguration) {
        try await offPool { try certificateBlocking() }
    }

    private static func certificateBlocking() throws -> (cert: String, key: String, tls: TLSConfiguration) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-tls-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let cert = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
        ]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(cert))
        return (cert, key, tls)
    }

    static func client(
        _ port: Int,
        _ security: SMTPConfiguration.Security,
        host: String = "127.0.0.1",
        tls: TLSConfiguration = .makeClientConfiguration(),
        credentials: SMTPConfiguration.Credentials? = nil,
        greeting: Int64 = 300
    ) throws -> SMTPClient {
        var timeouts = SMTPConfiguration.Timeouts()
        timeouts.greeting = greeting
        return try SMTPClient(
            configuration: SMTPConfiguration(
                host: host,
                port: port,
                security: security,
                heloName: "worker.dossier.example",
                credentials: credentials,
                tls: tls,
                timeouts: timeouts
            )
        )
    }

    @Test func theServerReceivesExactlyTheComposedBytesAndTheDotCallbackRunsOnceBeforeIt() async throws {
        let sink = try await Sink.start()
        defer { sink.stop() }
        let message = MIMEComposer.compose(MIMEComposerTests.message)
        let calls = Counter()

        let reply = try await Self.client(sink.port, .none).send(message, from: Self.sender, to: Self.anna) {
            await calls.increment()
            #expect(sink.messages.isEmpty)
        }

        #expect(reply.code == 250 && reply.enhancedCode == "2.0.0")
        #expect(await calls.value == 1)
        #expect(sink.messages == [message])
    }

    @Test func startTLSIsRequiredAndAuthenticationGoesOverIt() async throws {
        let (cert, key, tls) = try await Self.certificate()
        defer { try? FileManager.default.removeItem(at: URL(fileURLWithPath: cert).deletingLastPathComponent()) }
        let sink = try await Sink.start(["--starttls", cert, key, "--auth", "worker:geheim"])
        defer { sink.stop() }
        let plain = try await Sink.start()
        defer { plain.stop() }
        let message = MIMEComposer.compose(MIMEComposerTests.message)

        let reply = try await Self.client(
            sink.port,
            .startTLS,
            host: "localhost",
            tls: tls,
            credentials: .init(username: "worker", password: "geheim")
        ).send(message, from: Self.sender, to: Self.anna)
        let untrusted = await Self.failure {
            try await Self.client(sink.port, .startTLS, host: "localhost").send(
                message,
                from: Self.sender,
                to: Self.anna
            )
        }
        let noStartTLS = await Self.failure {
            try await Self.client(plain.port, .startTLS, host: "localhost", tls: tls)
                .send(message, from: Self.sender, to: Self.anna)
        }

        #expect(reply.code == 250)
        #expect(sink.messages == [message])
        if case .tls = untrusted {
        } else {
            Issue.record("an untrusted certificate must fail TLS: \(String(describing: untrusted))")
        }
        #expect(noStartTLS == .startTLSUnavailable)
        #expect(plain.messages.isEmpty)
    }

    @Test func implicitTLSSpeaksTLSFromTheFirstByte() async throws {
        let (cert, key, tls) = try await Self.certificate()
        defer { try? FileManager.default.removeItem(at: URL(fileURLWithPath: cert).deletingLastPathComponent()) }
        let sink = try await Sink.start(["--smtps", cert, key])
        defer { sink.stop() }
        let message = MIMEComposer.compose(MIMEComposerTests.message)

        let reply = try await Self.client(sink.port, .implicitTLS, host: "localhost", tls: tls)
            .send(message, from: Self.sender, to: Self.anna)
        let inTheClear = await Self.failure {
            try await Self.client(sink.port, .none, greeting: 2).send(message, from: Self.sender, to: Self.anna)
        }

        #expect(reply.code == 250)
        #expect(sink.messages == [message])
        #expect(inTheClear != nil)
    }

    @Test func transientAndPermanentRefusalsAreTold() async throws {
        let busy = try await Sink.start(["--rcpt-reply", "451 4.3.0 Try again later"])
        defer { busy.stop() }
        let unknown = try await Sink.start(["--rcpt-reply", "554 5.7.1 Rejected"])
        defer { unknown.stop() }
        let message = MIMEComposer.compose(MIMEComposerTests.message)

        let transient = await Self.failure {
            try await Self.client(busy.port, .none).send(message, from: Self.sender, to: Self.anna)
        }
        let permanent = await Self.failure {
            try await Self.client(unknown.port, .none).send(message, from: Self.sender, to: Self.anna)
        }

        #expect(
            transient
                == .rejected(stage: "rcpt", reply: .init(code: 451, enhancedCode: "4.3.0", lines: ["Try again later"]))
        )
        #expect(
            permanent == .rejected(stage: "rcpt", reply: .init(code: 554, enhancedCode: "5.7.1", lines: ["Rejected"]))
        )
        #expect(busy.messages.isEmpty && unknown.messages.isEmpty)
    }

    @Test func aServerThatNeverAnswersTimesOutAndPlaintextElsewhereIsRefused() async throws {
        let silent = try await Sink.start(["--silent"])
        defer { silent.stop() }
        let message = MIMEComposer.compose(MIMEComposerTests.message)

        let timeout = await Self.failure {
            try await Self.client(silent.port, .none, greeting: 1).send(message, from: Self.sender, to: Self.anna)
        }
        let plaintext = await Self.failure {
            try await Self.client(25, .none, host: "mail.example.org").send(message, from: Self.sender, to: Self.anna)
        }

        #expect(timeout == .timeout)
        #expect(plaintext == .plaintextRefused)
    }

    @Test func aFailureBeforeTheFinalDotDeliversNothing() async throws {
        let sink = try await Sink.start()
        defer { sink.stop() }
        struct Refused: Error {}

        await #expect(throws: Refused.self) {
            try await Self.client(sink.port, .none).send(
                MIMEComposer.compose(MIMEComposerTests.message),
                from: Self.sender,
                to: Self.anna
            ) {
                throw Refused()
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        #expect(sink.messages.isEmpty)
    }

    static func failure(_ body: () async throws -> SMTPReply) async -> SMTPError? {
        do {
            _ = try await body()
            return nil
        } catch {
            return error as? SMTPError
        }
    }

    static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await SMTPSink.offPool(body)
    }

    actor Counter {
        var value = 0
        func increment() { value += 1 }
    }
}
