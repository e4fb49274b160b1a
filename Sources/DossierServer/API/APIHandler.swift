import DossierAPI
import DossierCore
import DossierMailRendering
import OpenAPIRuntime

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
    let evaluations: EvaluationService
    let ipoActivities: IPOActivityService
    let ipoEnrollments: IPOEnrollmentService
    let ipoAttendance: IPOAttendanceService
    let ipoReports: IPOReportService
    let digestPreferences: DigestPreferenceService
    let digestPlanner: DigestPlanner
    let outbox: OutboxService
    let mailRenderer: MailRenderer
    let paging: Paging
    let clock: any WallClock
}

extension APIHandler {
    /// A path id that is not a UUID names nothing: 404, like an id that does not exist.
    static func id<Entity>(_ text: String, _ what: String) throws(DossierError) -> Identifier<Entity> {
        guard let id = Identifier<Entity>(text) else { throw DossierError.notFound(what) }
        return id
    }

    /// An optional id in the query; `ParameterCheck` has refused one that is not a UUID, so this
    /// only says what it names.
    static func id<Entity>(query text: String?, _ name: String) throws(DossierError) -> Identifier<Entity>? {
        guard let text else { return nil }
        guard let id = Identifier<Entity>(text) else { throw invalidParameter(name, "must be a UUID") }
        return id
    }

    static func invalidParameter(_ name: String, _ detail: String) -> DossierError {
        DossierError(
            .validation,
            slug: .invalidParameter,
            detail: "The query parameter \(name) \(detail).",
            fieldErrors: [FieldError("#/query/\(name)", detail)]
        )
    }

    /// Whether `type` is what the client prefers: the first type by quality that this operation
    /// can give (JSON unless, say, CSV comes first; a type it cannot give is skipped).
    static func prefers<T: AcceptableProtocol>(_ type: T, in accept: [AcceptHeaderContentType<T>]) -> Bool {
        accept.sortedByQuality().first { T.allCases.contains($0.contentType) }?.contentType == type
    }

    static let unsupportedBody = DossierError(
        .badRequest,
        slug: .malformedRequest,
        detail: "The request body is not of a supported kind."
    )
}
