import DossierCore
import Synchronization
import Testing

@Suite struct FailpointsTests {
    final class Recorder: Sendable {
        let reached = Mutex<[String]>([])
    }

    @Test func anArmedFailpointRunsItsActionOnlyInTheTestEnvironment() async {
        let recorder = Recorder()
        let action: Failpoints.Action = { name in recorder.reached.withLock { $0.append(name) } }
        let armed = Failpoints(
            environment: ["DOSSIER_ENV": "test", "DOSSIER_FAILPOINTS": "migrate.before-commit, other"],
            action: action
        )
        let production = Failpoints(environment: ["DOSSIER_FAILPOINTS": "migrate.before-commit"], action: action)

        await armed.reach("migrate.before-commit")
        await armed.reach("not-armed")
        await production.reach("migrate.before-commit")

        #expect(armed.armed == ["migrate.before-commit", "other"])
        #expect(production.armed.isEmpty)
        #expect(recorder.reached.withLock { $0 } == ["migrate.before-commit"])
    }
}
