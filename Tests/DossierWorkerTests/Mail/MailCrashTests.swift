import DossierCore
import DossierTestSupport
import Foundation
import PostgresNIO
import Testing

/// `dossier worker` sending mail, killed with SIGKILL on either side of the point of no return:
/// before it the mail is delivered once by another replica; after it the mail is `unknown` and
/// nothing sends it again by itself.
@Suite(.serialized) struct MailCrashTests {
    static func environment(_ world: MailWorld, failpoint: String? = nil) -> [String: String] {
        var environment = [
            "DATABASE_URL": world.testDatabase.appURL.text,
            "DOSSIER_SECRET_KEY": Data(repeating: 42, count: 32).base64EncodedString(),
            "MIGRATIONS_DIR": PackagePaths.migrations, "WORKER_HTTP_PORT": "0", "WORKER_LEASE_SECONDS": "2",
            "LOG_FORMAT": "json", "DOSSIER_ENV": "test", "DOSSIER_CLOCK": "2026-11-30T07:00:00Z",
            "SMTP_URL": "smtp+insecure://127.0.0.1:\(world.sink.port)", "MAIL_FROM": "Dossier <digest@dossier.test>",
            "PUBLIC_BASE_URL": MailWorld.baseURL,
        ]
        if let failpoint { environment["DOSSIER_FAILPOINTS"] = failpoint }
        return environment
    }

    static func crash(_ world: MailWorld, at failpoint: String) async throws {
        let worker = try DossierProcess(["worker"], environment: environment(world, failpoint: failpoint))
        try await worker.waitForOutput(containing: "failpoint reached: \(failpoint)")
        worker.send(SIGKILL)
        _ = try await worker.waitForExit()
        #expect(worker.endedBySignal)
        // The dead worker's lease (two seconds) runs out.
        try await Task.sleep(for: .seconds(3))
    }

    @Test func killedBeforeTheFinalDotTheMailIsDeliveredOnceAfterTheRescue() async throws {
        try await MailWorld.test { world in
            try await world.trainee("Karel Kill")
            try await Self.crash(world, at: "mail.before_final_dot")
            #expect(try await world.outbox().map(\.status) == ["sending"])
            #expect(world.sink.messages.isEmpty, "a connection closed before the final dot delivers nothing")

            try await world.worker().runOnce()

            let rows = try await world.outbox()
            #expect(rows.map(\.status) == ["sent"])
            #expect(rows.map(\.attempts) == [2])
            #expect(world.sink.messages.count == 1)
        }
    }

    @Test func killedAfterTheFinalDotWasCommittedTheMailIsUnknownAndNotResent() async throws {
        try await MailWorld.test { world in
            try await world.trainee("Kim Kill")
            try await Self.crash(world, at: "mail.final_dot_committed")

            let worker = try world.worker()
            try await worker.runOnce()
            world.clock.advance(by: 3600)
            try await worker.runOnce()

            let rows = try await world.outbox()
            #expect(rows.map(\.status) == ["unknown"])
            #expect(rows.first?.lastError?.contains("after the final dot") == true)
            #expect(world.sink.messages.isEmpty)
        }
    }

    @Test func aServerThatDropsTheConnectionAfterTheDotLeavesOneMessageAndAnUnknownRow() async throws {
        try await MailWorld.test(sink: ["--drop-after-dot"]) { world in
            try await world.trainee("Dirk Drop")
            let process = try DossierProcess(["worker"], environment: Self.environment(world))
            let deadline = ContinuousClock.now + .seconds(60)
            while try await world.outbox().map(\.status) != ["unknown"], ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
            }
            process.send(SIGTERM)
            #expect(try await process.waitForExit() == 0)

            try await world.worker().runOnce()

            #expect(try await world.outbox().map(\.status) == ["unknown"])
            #expect(world.sink.messages.count == 1)
        }
    }
}
