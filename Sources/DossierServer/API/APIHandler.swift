import DossierAPI
import DossierCore

/// Implements the generated `APIProtocol`. Each operation lives in `APIHandler+<Tag>.swift` and
/// only unwraps input, calls one service and maps the result; rules live in DossierCore.
struct APIHandler: APIProtocol {
    let readiness: ReadinessProbe
    let people: PersonService
    let groups: GroupService
    let supervisions: SupervisionService
    let tokens: TokenService
    let portfolios: PortfolioService
    let entries: EntryService
    let attachments: AttachmentService
    let forms: FormService
    let assessments: AssessmentService
    let progressReviews: ProgressReviewService
    let export: ExportService
    let retention: RetentionService
    let legalHolds: LegalHoldService
    let jobs: JobService
    let paging: Paging
    let clock: any WallClock
}
