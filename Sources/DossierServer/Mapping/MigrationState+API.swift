import DossierAPI
import DossierCore

extension Components.Schemas.MigrationState {
    init(_ plan: MigrationPlan) {
        self.init(applied: plan.applied.count, known: plan.known.count, latest: plan.latestApplied)
    }
}
