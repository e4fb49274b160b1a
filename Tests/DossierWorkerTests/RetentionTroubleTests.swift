import DossierCore
import DossierTestSupport
import DossierWorker
import Foundation
import PostgresNIO
import Testing

@Suite("Retention runs that meet trouble")
struct RetentionTroubleTests {
    @Test("The scheduler plans one execute run a day, even when its plan job runs twice")
    func oneScheduledRunADay() async throws {
        try await RetentionWorld.test { world in
            _ = try await world.trainee("Dora Due", completed: "2024-01-10")
            _ = try await world.retention.plan(.execute, by: .scheduler)

            await #expect(throws: DossierError.self) { try await world.retention.plan(.execute, by: .scheduler) }
            let plan = try #require(world.dependencies().handlers["retention.plan"])
            try await plan(
                Job(
                    id: 1,
                    queue: .retention,
                    kind: "retention.plan",
                    args: "{}",
                    attempt: 2,
                    maxAttempts: 10,
                    uniqueKey: nil
                )
            )
            #expect(try await world.count("SELECT count(*)::int FROM retention_runs") == 1)
        }
    }

    @Test("A portfolio that cannot be purged is recorded as failed and stays whole; the others go on")
    func onePortfolioFails() async throws {
        try await RetentionWorld.test { world in
            let stuck = try await world.trainee("Stijn Stuck", completed: "2024-01-10")
            let fine = try await world.trainee("Fien Fine", completed: "2024-01-11")
            try await world.testDatabase.withOwnerClient { owner in
                try await owner.query(
                    """
                    CREATE FUNCTION refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN RAISE EXCEPTION 'refused by the test'; END; $$
                    """
                )
                try await owner.query(
                    """
                    CREATE TRIGGER refuse_delete BEFORE DELETE ON entries FOR EACH ROW
                    WHEN (OLD.portfolio_id = '\(unescaped: stuck.portfolio.description)') EXECUTE FUNCTION refuse_delete()
                    """
                )
            }

            try await world.worker().runOnce()

            #expect(try await world.content(of: stuck) == RetentionWorld.whole)
            #expect(try await world.state(of: stuck).disposed == false)
            #expect(try await world.content(of: fine) == 0)
            let run = try #require(
                try await world.retention.list(
                    mode: .execute,
                    status: nil,
                    page: try PageRequest(limit: 1, after: nil),
                    by: .shell
                ).items.first
            )
            #expect(run.status == .done && run.counts.purged == 1 && run.counts.failed == 1)
        }
    }

    @Test("A portfolio locked by someone else is left for the retry, which finishes the run")
    func aBusyPortfolio() async throws {
        try await RetentionWorld.test { world in
            try await world.autoApprove(atMost: 10)
            let busy = try await world.trainee("Bas Busy", completed: "2024-01-10")
            let free = try await world.trainee("Frits Free", completed: "2024-01-11")
            let run = try await world.retention.plan(.execute, by: .cli(world.admin))

            try await world.testDatabase.withOwnerClient { owner in
                try await owner.withConnection { connection in
                    try await connection.query("BEGIN", logger: world.logger)
                    try await connection.query(
                        "SELECT 1 FROM people WHERE id = \(busy.person.uuid) FOR UPDATE",
                        logger: world.logger
                    )
                    await #expect(throws: RetentionExecutor.PortfolioBusy.self) {
                        try await world.executor.execute(run.id)
                    }
                    try await connection.query("ROLLBACK", logger: world.logger)
                }
            }
            #expect(try await world.content(of: free) == 0)
            #expect(try await world.content(of: busy) == RetentionWorld.whole)
            let midway = try await world.retention.get(run.id, by: .shell)
            #expect(midway.status == .running && midway.counts.purged == 1 && midway.counts.purge == 2)

            try await world.executor.execute(run.id)
            #expect(try await world.content(of: busy) == 0)
            #expect(try await world.retention.get(run.id, by: .shell).status == .done)
        }
    }

    @Test("A run whose execution died is aborted by the next plan, which takes over its portfolios")
    func aStrandedRun() async throws {
        try await RetentionWorld.test { world in
            try await world.autoApprove(atMost: 10)
            let due = try await world.trainee("Dora Due", completed: "2024-01-10")
            let stranded = try await world.retention.plan(.execute, by: .cli(world.admin))
            try await world.client.query(
                "UPDATE jobs SET state = 'dead', finalized_at = now() WHERE kind = 'retention.execute'"
            )

            let next = try await world.retention.plan(.execute, by: .cli(world.admin))
            try await world.worker().runOnce()

            #expect(try await world.retention.get(stranded.id, by: .shell).status == .aborted)
            #expect(try await world.retention.get(next.id, by: .shell).status == .done)
            #expect(try await world.content(of: due) == 0)
        }
    }

    @Test("A portfolio hidden in its grace period is shown again when a corrected completion makes it not due")
    func unhiddenAfterACorrection() async throws {
        try await RetentionWorld.test { world in
            let graced = try await world.trainee("Gert Grace", completed: "2024-11-30")
            try await world.worker().runOnce()
            #expect(try await world.state(of: graced) == (true, false))

            try await world.client.query(
                "UPDATE trainee_profiles SET completed_at = '2025-11-30' WHERE person_id = \(graced.person.uuid)"
            )
            _ = try await world.retention.plan(.execute, by: .cli(world.admin))

            #expect(try await world.state(of: graced) == (false, false))
            #expect(try await world.content(of: graced) == RetentionWorld.whole)
        }
    }
}
