import DossierCore
import DossierTestSupport
import DossierWorker
import Foundation
import PostgresNIO
import Testing

/// The digest from planning to a real SMTP server on loopback: once per person and period, the
/// bytes stored once and sent as stored, and every way a delivery can go wrong.
@Suite(.serialized) struct DigestMailTests {
    @Test func aDigestIsSentOnceWithTheBytesStoredForIt() async throws {
        try await MailWorld.test { world in
            let zoe = try await world.trainee("Zoë Maës", email: "zoe@dossier.test")
            let worker = try world.worker()

            try await worker.runOnce()
            try await worker.runOnce()
            world.clock.advance(by: 3600)
            try await worker.runOnce()

            let rows = try await world.outbox()
            #expect(rows.map(\.key) == ["digest:\(zoe):2026-W49"])
            #expect(rows.map(\.status) == ["sent"])
            let received = world.sink.messages
            #expect(received.count == 1)
            #expect(received.first == (try await world.raw("digest:\(zoe):2026-W49")))
            let subject = try await world.decodedHeaders("Subject")
            #expect(subject == ["Dossier weekly digest for Zoë Maës: 6 items"], "\(subject)")
            #expect(try await world.decodedHeaders("To") == ["Zoë Maës <zoe@dossier.test>"])
            #expect(try await world.decodedHeaders("Message-ID") == rows.map(\.messageID))
            #expect(try await world.decodedHeaders("Auto-Submitted") == ["auto-generated"])
            #expect(try await world.decodedHeaders("List-Unsubscribe-Post") == ["List-Unsubscribe=One-Click"])
            let text = String(decoding: received.first ?? [], as: UTF8.self)
            #expect(text.contains("Content-Type: text/plain; charset=utf-8"))
            #expect(text.contains("Content-Type: text/html; charset=utf-8"))
            #expect(text.contains("List-Unsubscribe: <https://dossier.test/v1/email/unsubscribe/uns_"))
            #expect(text.contains("progress review 1 was due on 2025-09-01"))
        }
    }

    @Test func threeReplicasAndAThousandDuePeopleGiveEachPersonExactlyOneMessage() async throws {
        try await MailWorld.test { world in
            try await world.trainees(1000)
            let planners = try (0..<3).map { _ in try world.planner() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for planner in planners { group.addTask { _ = try await planner.plan() } }
                try await group.waitForAll()
            }
            let workers = try (0..<3).map { _ in try world.worker() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in workers { group.addTask { try await worker.runOnce() } }
                try await group.waitForAll()
            }

            #expect(try await world.count("SELECT count(*)::int FROM email_outbox WHERE status = 'sent'") == 1000)
            let recipients = try await world.decodedHeaders("To")
            #expect(recipients.count == 1000)
            #expect(Set(recipients).count == 1000)
            #expect(Set(try await world.decodedHeaders("Message-ID")).count == 1000)
        }
    }

    @Test func aTransientRefusalIsRetriedAndThenDelivered() async throws {
        try await MailWorld.test(sink: ["--rcpt-reply", "451 4.3.0 Try again later", "--fail-first", "1"]) { world in
            try await world.trainee("Tess Tijdelijk")
            try await world.worker().runOnce()

            let rows = try await world.outbox()
            #expect(rows.map(\.status) == ["sent"])
            #expect(rows.map(\.attempts) == [2])
            #expect(world.sink.messages.count == 1)
        }
    }

    @Test func aPermanentRefusalFailsAtOnceAndCountsAsABounce() async throws {
        try await MailWorld.test(sink: ["--data-reply", "554 5.6.0 Message rejected"]) { world in
            let person = try await world.trainee("Pim Permanent")
            let worker = try world.worker()
            try await worker.runOnce()
            try await worker.runOnce()

            let rows = try await world.outbox()
            #expect(rows.map(\.status) == ["failed"])
            #expect(rows.map(\.attempts) == [1])
            #expect(rows.first?.lastError == "final dot: 554 5.6.0")
            #expect(
                try await world.count("SELECT score FROM mail_bounces WHERE person_id = \(person.uuid)") == 2
            )
        }
    }

    @Test func anInvalidAddressFailsItsOwnRowAndTheOthersGoOn() async throws {
        try await MailWorld.test { world in
            let broken = try await world.trainee("Bram Kapot", email: "bram at dossier")
            let fine = try await world.trainee("Fien Goed")
            try await world.worker().runOnce()

            let rows = try await world.outbox()
            let byKey = Dictionary(uniqueKeysWithValues: rows.map { ($0.key, $0) })
            #expect(byKey["digest:\(broken):2026-W49"]?.status == "failed")
            #expect(byKey["digest:\(broken):2026-W49"]?.lastError?.contains("e-mail address") == true)
            #expect(byKey["digest:\(fine):2026-W49"]?.status == "sent")
            #expect(world.sink.messages.count == 1)
        }
    }

    @Test func aServerThatNeverAnswersTimesOutAndTheMailWaitsForItsNextAttempt() async throws {
        try await MailWorld.test(sink: ["--silent"]) { world in
            try await world.trainee("Stijn Stil")
            try await world.worker(timeout: 1, retryBase: 60).runOnce()

            let rows = try await world.outbox()
            #expect(rows.map(\.status) == ["pending"])
            #expect(rows.map(\.attempts) == [1])
            #expect(rows.first?.lastError == "the server did not answer in time")
            #expect(
                try await world.count(
                    "SELECT count(*)::int FROM email_outbox WHERE next_attempt_at > now() + interval '40 seconds'"
                ) == 1
            )
        }
    }

    @Test func theReplyLostAfterTheFinalDotLeavesTheMailUnknownAndItIsNotSentAgain() async throws {
        try await MailWorld.test(sink: ["--drop-after-dot"]) { world in
            try await world.trainee("Ula Onbekend")
            let worker = try world.worker()
            try await worker.runOnce()
            world.clock.advance(by: 600)
            try await worker.runOnce()

            let rows = try await world.outbox()
            #expect(rows.map(\.status) == ["unknown"])
            #expect(rows.first?.lastError?.hasPrefix("after the final dot") == true)
            #expect(world.sink.messages.count == 1)
        }
    }

    @Test func aDailyDigestHasOnePeriodPerLocalDayAcrossTheAutumnClockChange() async throws {
        let start = ISO8601DateFormatter().date(from: "2026-10-24T06:00:00Z")!
        try await MailWorld.test(at: start) { world in
            let person = try await world.trainee("Dirk Dagelijks")
            try await world.client.query(
                """
                INSERT INTO digest_preferences (person_id, frequency, send_time, time_zone, updated_at)
                VALUES (\(person.uuid), 'daily', '07:30', 'Europe/Amsterdam', now())
                """
            )
            let worker = try world.worker()
            // 08:00 CEST on Saturday; 07:00 and 07:30 CET on Sunday, the day the clocks go back; 07:29
            // and 07:30 CET on Monday.
            for instant in [
                "2026-10-24T06:00:00Z", "2026-10-25T06:00:00Z", "2026-10-25T06:30:00Z", "2026-10-26T06:29:00Z",
                "2026-10-26T06:30:00Z",
            ] {
                world.clock.set(ISO8601DateFormatter().date(from: instant)!)
                try await worker.runOnce()
            }

            #expect(
                try await world.outbox().map(\.key) == [
                    "digest:\(person):2026-10-24", "digest:\(person):2026-10-25", "digest:\(person):2026-10-26",
                ]
            )
            #expect(world.sink.messages.count == 3)
        }
    }

    @Test func unsubscribingStopsTheNextDigest() async throws {
        try await MailWorld.test { world in
            let person = try await world.trainee("Uma Uit")
            let worker = try world.worker()
            try await worker.runOnce()
            let preferences = DigestPreferenceService(
                database: world.database,
                clock: world.clock,
                secretKey: MailWorld.secretKey
            )
            let token = UnsubscribeToken(secretKey: MailWorld.secretKey).token(for: person)
            let first = try await preferences.unsubscribe(token: token)
            world.clock.advance(by: 7 * 86_400)
            #expect(try await preferences.unsubscribe(token: token) == first)
            try await worker.runOnce()

            #expect(try await world.outbox().map(\.key) == ["digest:\(person):2026-W49"])
            #expect(world.sink.messages.count == 1)
        }
    }

    @Test func nothingToSayKeepsThePeriodAndSendsNothing() async throws {
        try await MailWorld.test { world in
            let id = UUID()
            try await world.client.query(
                "INSERT INTO people (id, name, email, roles) VALUES (\(id), 'Tom Teacher', 'tom@dossier.test', ARRAY['teacher'])"
            )
            try await world.worker().runOnce()

            #expect(try await world.outbox().map(\.status) == ["skipped"])
            #expect(world.sink.messages.isEmpty)
        }
    }
}

/// The download-window notices: 30 and 7 days before the window closes, each once.
@Suite(.serialized) struct DownloadNoticeTests {
    @Test func eachMilestoneIsSentOnceAndATraineeFirstSeenLateGetsOnlyTheLastOne() async throws {
        try await MailWorld.test { world in
            let early = try await world.trainee("Eva Eerder", email: "eva@dossier.test")
            let late = try await world.trainee("Lars Later", email: "lars@dossier.test")
            // Six months of download window: Eva's closes on 2026-12-15, Lars's on 2026-12-05.
            try await world.client.query(
                """
                UPDATE trainee_profiles SET status = 'completed',
                    completed_at = CASE WHEN person_id = \(early.uuid) THEN '2026-06-15'::date ELSE '2026-06-05'::date END
                """
            )
            let worker = try world.worker()
            try await worker.runOnce()
            world.clock.set(ISO8601DateFormatter().date(from: "2026-12-09T07:00:00Z")!)
            try await worker.runOnce()
            try await worker.runOnce()

            let notices = try await world.outbox().map(\.key).filter { $0.hasPrefix("notice:") }.sorted()
            let portfolios = try await world.client.query(
                "SELECT trainee_id, id FROM portfolios WHERE trainee_id IN (\(early.uuid), \(late.uuid))"
            )
            var byTrainee: [UUID: UUID] = [:]
            for try await (trainee, portfolio) in portfolios.decode((UUID, UUID).self) {
                byTrainee[trainee] = portfolio
            }
            let eva = byTrainee[early.uuid]?.uuidString.lowercased() ?? "?"
            let lars = byTrainee[late.uuid]?.uuidString.lowercased() ?? "?"
            #expect(
                notices
                    == [
                        "notice:download_closing:\(eva):T-30", "notice:download_closing:\(eva):T-7",
                        "notice:download_closing:\(lars):T-7",
                    ].sorted()
            )
            #expect(try await world.decodedHeaders("Subject").filter { $0.contains("downloaded until") }.count == 3)
        }
    }
}
