import DossierCore
import DossierTestSupport
import DossierWorker
import Foundation
import PostgresNIO
import Testing

@Suite("Retention runs against PostgreSQL")
struct RetentionExecutionTests {
    @Test("The daily plan hides and purges what is due and nothing else; the log proves it without personal data")
    func theScheduledRun() async throws {
        try await RetentionWorld.test { world in
            let due = try await world.trainee("Dora Due", completed: "2024-01-10")
            let inGrace = try await world.trainee("Gert Grace", completed: "2024-11-30")
            let closed = try await world.trainee("Carla Closed", completed: "2025-01-01")
            let downloadable = try await world.trainee("Dan Download", completed: "2026-10-01")
            let active = try await world.trainee("Ali Active", completed: nil)
            let held = try await world.trainee("Hanna Held", completed: "2023-05-05")
            let staff = try await world.trainee(
                "Cees Both",
                completed: "2023-01-17",
                roles: ["trainee", "coordinator"]
            )
            let hold = try await world.holds.place(
                LegalHoldInput(
                    scope: "trainee",
                    subjectID: held.person.description,
                    reason: "Appeal",
                    caseReference: "B-7"
                ),
                caller: world.adminCaller
            )

            let dueDates = try await world.profileDates(of: due)
            let staffDates = try await world.profileDates(of: staff)

            let ran = try await world.worker().runOnce()

            #expect(ran >= 2)
            // Nothing of the purged trainees survives anywhere but their ids, which the five-year
            // access log needs; the run's candidate list keeps the completion date until
            // housekeeping drops it, 90 days after the run.
            let residue = try await world.tablesHolding(
                [due.name, due.email, "Reason for \(due.name)", "2024-01-10", "Feedback for \(due.name)"]
                    + dueDates + ["Reason for \(staff.name)", "Notes by \(staff.name)", "2023-01-17"] + staffDates
            )
            #expect(residue == ["retention_candidates": ["2024-01-10", "2023-01-17"]])
            for kept in [closed, downloadable, active, held] {
                #expect(try await world.content(of: kept) == RetentionWorld.whole)
                #expect(try await world.state(of: kept) == (false, false))
            }
            #expect(try await world.content(of: inGrace) == RetentionWorld.whole)
            #expect(try await world.state(of: inGrace) == (true, false))
            for purged in [due, staff] {
                #expect(try await world.content(of: purged) == 0)
                #expect(try await world.state(of: purged) == (true, true))
            }
            #expect(try await world.person(due).name == "Disposed trainee")
            #expect(try await world.person(due).email.hasSuffix("@invalid.example"))
            #expect(try await world.person(staff) == ("Cees Both", staff.email))
            #expect(try await world.person(inGrace) == ("Gert Grace", inGrace.email))

            let runs = try await world.retention.list(
                mode: nil,
                status: nil,
                page: try PageRequest(limit: 10, after: nil),
                by: .shell
            )
            let run = try #require(runs.items.first)
            #expect(runs.items.count == 1)
            #expect(run.status == .done)
            #expect(run.trigger == .scheduler)
            #expect(run.counts.hide == 1 && run.counts.purge == 2 && run.counts.held == 1)
            #expect(run.counts.hidden == 1 && run.counts.purged == 2 && run.counts.changed == 0)
            #expect(run.windows == RetentionWindowCounts(active: 1, inDownloadWindow: 1, pastDownloadWindow: 2, due: 3))
            let candidates = try await world.retention.candidates(
                of: run.id,
                page: try PageRequest(limit: 50, after: nil),
                by: .shell
            )
            #expect(candidates.items.first { $0.portfolioID == held.portfolio }?.holdID == hold.id)

            let log = try await world.disposalLogText()
            for trainee in [due, inGrace, closed, downloadable, active, held, staff] {
                #expect(!log.contains(trainee.name))
                #expect(!log.localizedCaseInsensitiveContains(trainee.email))
                #expect(!log.contains(trainee.person.description))
                #expect(!log.contains(trainee.portfolio.description))
            }
            #expect(!log.contains("2024-01-10") && !log.contains("2023-01-17"))
            #expect(!log.contains("Nurse Nina") && !log.contains("Ada Admin"))
            #expect(try await world.executor.verify().broken == nil)

            let events = try await world.retention.disposals(of: due.portfolio, caller: world.adminCaller)
            #expect(events.map(\.event) == [.purged])
            #expect(events.first?.runID == run.id && events.first?.policyVersion == 1)
            #expect(events.first?.completedMonth == CalendarDate("2024-01-01"))
            #expect(try await world.retention.disposals(of: active.portfolio, caller: world.adminCaller).isEmpty)

            let certificate = try await world.retention.certificate(of: run.id, by: .shell)
            #expect(world.retention.isGenuine(certificate))
            #expect(certificate.counts.purged == 2)
            #expect(try await world.executor.holds(certificate))
        }
    }

    @Test("A big plan waits for approval; execution skips what changed since: a corrected completion, a new hold")
    func theCircuitBreakerAndTheRecheck() async throws {
        try await RetentionWorld.test { world in
            try await world.autoApprove(atMost: 1)
            let first = try await world.trainee("Anne One", completed: "2024-01-10")
            let corrected = try await world.trainee("Bert Two", completed: "2024-01-11")
            let heldLater = try await world.trainee("Cor Three", completed: "2024-01-12")

            let run = try await world.retention.plan(.execute, by: .caller(world.adminCaller))
            #expect(run.status == .awaitingApproval)
            #expect(try await world.content(of: first) == RetentionWorld.whole)

            try await world.client.query(
                "UPDATE trainee_profiles SET completed_at = '2026-06-01' WHERE person_id = \(corrected.person.uuid)"
            )
            _ = try await world.holds.place(
                LegalHoldInput(
                    scope: "portfolio",
                    subjectID: heldLater.portfolio.description,
                    reason: "Complaint",
                    caseReference: "K-1"
                ),
                caller: world.adminCaller
            )
            await #expect(throws: DossierError.self) {
                try await world.retention.approve(run.id, by: .cli(world.admin))
            }
            let approved = try await world.retention.approve(run.id, by: .cli(world.secondAdmin))
            #expect(approved.status == .approved && approved.approvedBy == world.secondAdmin)
            await #expect(throws: DossierError.self) {
                try await world.retention.approve(run.id, by: .caller(world.adminCaller))
            }
            try await world.worker().runOnce()

            #expect(try await world.content(of: first) == 0)
            #expect(try await world.content(of: corrected) == RetentionWorld.whole)
            #expect(try await world.content(of: heldLater) == RetentionWorld.whole)
            let done = try await world.retention.get(run.id, by: .shell)
            #expect(done.status == .done)
            #expect(done.counts.purged == 1 && done.counts.changed == 2)
        }
    }

    @Test("A dry run lists exactly what an execution would do, deletes nothing and can never be approved")
    func aDryRun() async throws {
        try await RetentionWorld.test { world in
            let due = try await world.trainee("Dora Due", completed: "2024-01-10")
            let before = try await world.testDatabase.digest()

            let run = try await world.retention.plan(.dryRun, by: .cli(world.admin))

            #expect(run.status == .planned && run.counts.purge == 1)
            #expect(try await world.content(of: due) == RetentionWorld.whole)
            do {
                _ = try await world.retention.approve(run.id, by: .cli(world.admin))
                Issue.record("a dry run was approved")
            } catch let error as DossierError {
                #expect(error.kind == .conflict && error.slug == .dryRunNotApprovable)
            }
            let after = try await world.testDatabase.digest()
            let changed = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }
            #expect(changed == ["retention_runs", "retention_candidates", "disposal_log"])
        }
    }

    @Test("A hold placed while an execution runs keeps its portfolio, whatever the interleaving")
    func holdsRaceExecution() async throws {
        try await RetentionWorld.test { world in
            try await world.autoApprove(atMost: 100)
            var trainees: [RetentionWorld.Trainee] = []
            for index in 0..<24 { trainees.append(try await world.trainee("Due \(index)", completed: "2024-01-10")) }
            let run = try await world.retention.plan(.execute, by: .cli(world.admin))
            #expect(run.status == .approved)

            let targets = Array(trainees.shuffled().prefix(8))
            async let execution: Void = world.executor.execute(run.id)
            var placed: [Portfolio.ID: Bool] = [:]
            for target in targets {
                do {
                    _ = try await world.holds.place(
                        LegalHoldInput(
                            scope: "portfolio",
                            subjectID: target.portfolio.description,
                            reason: "Race",
                            caseReference: "R-\(target.name)"
                        ),
                        caller: world.adminCaller
                    )
                    placed[target.portfolio] = true
                } catch let error as DossierError where error.slug == .alreadyDisposed {
                    placed[target.portfolio] = false
                    #expect(error.extensions["disposed_by_run"] == run.id.description)
                }
            }
            try await execution

            for target in targets {
                let kept = try #require(placed[target.portfolio])
                #expect(try await world.content(of: target) == (kept ? RetentionWorld.whole : 0))
                #expect(try await world.state(of: target).disposed == !kept)
            }
            let held = placed.values.filter { $0 }.count
            let done = try await world.retention.get(run.id, by: .shell)
            #expect(done.counts.purged == 24 - held && done.counts.changed == held)
        }
    }

    @Test("A newer plan supersedes one still waiting for approval")
    func supersededPlans() async throws {
        try await RetentionWorld.test { world in
            try await world.autoApprove(atMost: 0)
            _ = try await world.trainee("Dora Due", completed: "2024-01-10")

            let old = try await world.retention.plan(.execute, by: .cli(world.admin))
            _ = try await world.retention.plan(.execute, by: .cli(world.admin))

            #expect(try await world.retention.get(old.id, by: .shell).status == .aborted)
            await #expect(throws: DossierError.self) {
                try await world.retention.approve(old.id, by: .cli(world.admin))
            }
        }
    }

    @Test("After a restore from backup, reapply purges again what the log says was purged")
    func reapply() async throws {
        try await RetentionWorld.test { world in
            let due = try await world.trainee("Dora Due", completed: "2024-01-10")
            let kept = try await world.trainee("Kees Kept", completed: "2025-06-01")
            try await world.worker().runOnce()
            #expect(try await world.content(of: due) == 0)

            // The restore: the portfolio is back as it was before its disposal.
            try await world.restoreProfile(of: due, completed: "2024-01-10")
            try await world.client.query(
                "UPDATE portfolios SET hidden_at = NULL, disposed_at = NULL, disposed_by_run = NULL WHERE id = \(due.portfolio.uuid)"
            )
            try await world.client.query(
                """
                INSERT INTO entries (id, portfolio_id, kind, title, body, created_at, updated_at)
                VALUES (\(UUID()), \(due.portfolio.uuid), 'case', 'Restored', 'restored', now(), now())
                """
            )

            let reapplied = try await world.executor.reapply(by: world.admin)
            #expect(reapplied.purged == 1 && reapplied.busy == 0)

            #expect(try await world.content(of: due) == 0)
            #expect(try await world.state(of: due).disposed)
            #expect(try await world.content(of: kept) == RetentionWorld.whole)
            let events = try await world.retention.disposals(of: due.portfolio, caller: world.adminCaller)
            #expect(events.map(\.event) == [.purged, .reapplied])
            #expect(try await world.executor.verify().broken == nil)
        }
    }

    @Test("After restoring a backup older than the disposal, reapply with an exported copy of the log purges again")
    func reapplyFromACopy() async throws {
        try await RetentionWorld.test { world in
            let due = try await world.trainee("Dora Due", completed: "2024-01-10")
            try await world.worker().runOnce()
            let exported = try await world.executor.records(after: 0).map(DisposalLogFile.line).joined(separator: "\n")
            let copy = try DisposalLogFile.records(from: exported)
            #expect(copy.filter { $0.event == .purged }.count == 1)

            // The restore: a database from before the purge, its log without the purge's record.
            try await world.restoreProfile(of: due, completed: "2024-01-10")
            try await world.testDatabase.withOwnerClient { owner in
                try await owner.query("DELETE FROM disposal_log WHERE event = 'purged'")
                try await owner.query(
                    """
                    UPDATE portfolios SET hidden_at = NULL, disposed_at = NULL, disposed_by_run = NULL
                    WHERE id = \(due.portfolio.uuid)
                    """
                )
                try await owner.query(
                    """
                    INSERT INTO entries (id, portfolio_id, kind, title, body, created_at, updated_at)
                    VALUES (\(UUID()), \(due.portfolio.uuid), 'case', 'Restored', 'restored', now(), now())
                    """
                )
            }
            #expect(try await world.executor.reapply(by: world.admin).purged == 0)

            let reapplied = try await world.executor.reapply(by: world.admin, copy: copy)

            #expect(reapplied.purged == 1)
            #expect(try await world.content(of: due) == 0)
            let tampered = exported.replacingOccurrences(of: "\"item_count\":10", with: "\"item_count\":9")
            #expect(tampered != exported)
            #expect(throws: DisposalLogFile.Invalid.self) { try DisposalLogFile.records(from: tampered) }
        }
    }

    @Test("The disposal log is append-only for the application, and verify finds the first changed record")
    func tamperEvidence() async throws {
        try await RetentionWorld.test { world in
            _ = try await world.trainee("Dora Due", completed: "2024-01-10")
            _ = try await world.trainee("Egon Due", completed: "2024-02-10")
            try await world.worker().runOnce()
            let (checked, intact) = try await world.executor.verify()
            #expect(checked >= 3 && intact == nil)

            await #expect(throws: PSQLError.self) {
                try await world.client.query("UPDATE disposal_log SET item_count = 0")
            }
            await #expect(throws: PSQLError.self) { try await world.client.query("DELETE FROM disposal_log") }

            try await world.testDatabase.withOwnerClient { owner in
                try await owner.query("UPDATE disposal_log SET item_count = item_count + 1 WHERE seq = 2")
            }
            #expect(try await world.executor.verify().broken?.seq == 2)
        }
    }
}
