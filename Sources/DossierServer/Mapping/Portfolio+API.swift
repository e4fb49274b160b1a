import DossierAPI
import DossierCore

extension Components.Schemas.Portfolio {
    init(_ portfolio: Portfolio, today: CalendarDate) {
        let windows = portfolio.windows
        self.init(
            id: portfolio.id.description,
            traineeId: portfolio.traineeID.description,
            status: .init(rawValue: portfolio.status(on: today).rawValue) ?? .active,
            completedAt: portfolio.completedAt?.description,
            downloadUntil: windows?.downloadUntil.description,
            deleteAfter: windows?.deleteAfter.description,
            policy: .init(id: portfolio.policy.id, version: portfolio.policy.version),
            createdAt: portfolio.createdAt
        )
    }
}
