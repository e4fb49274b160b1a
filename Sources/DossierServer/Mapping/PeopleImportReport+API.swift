import DossierAPI
import DossierCore

extension Components.Schemas.PeopleImportReport {
    init(_ report: PeopleImportReport) {
        self.init(
            dryRun: report.dryRun,
            created: report.count(.created),
            updated: report.count(.updated),
            unchanged: report.count(.unchanged),
            rows: report.rows.map {
                .init(
                    line: $0.line,
                    email: $0.email,
                    action: .init(rawValue: $0.action.rawValue) ?? .unchanged,
                    id: $0.id?.description
                )
            }
        )
    }
}
