/// Every kind of problem this API reports, by the stable slug of its `type` URI
/// (`https://dossier.example/problems/<slug>`): clients branch on it, so a slug never changes once
/// published, and code matches on these constants, never on strings.
public struct ProblemSlug: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    private init(_ rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    // Requests the edge cannot read
    public static let malformedRequest = ProblemSlug("malformed-request")
    public static let unknownField = ProblemSlug("unknown-field")
    public static let invalidParameter = ProblemSlug("invalid-parameter")
    public static let invalidCursor = ProblemSlug("invalid-cursor")
    public static let tokenInQuery = ProblemSlug("token-in-query")
    public static let incompleteBody = ProblemSlug("incomplete-body")
    public static let contentTooLarge = ProblemSlug("content-too-large")
    public static let unsupportedMediaType = ProblemSlug("unsupported-media-type")
    public static let contentTypeMismatch = ProblemSlug("content-type-mismatch")
    public static let notAcceptable = ProblemSlug("not-acceptable")
    public static let methodNotAllowed = ProblemSlug("method-not-allowed")
    public static let rangeNotSatisfiable = ProblemSlug("range-not-satisfiable")

    // Who is calling and what they may do
    public static let unauthorized = ProblemSlug("unauthorized")
    public static let forbidden = ProblemSlug("forbidden")
    public static let insufficientScope = ProblemSlug("insufficient-scope")
    public static let roleGrantForbidden = ProblemSlug("role-grant-forbidden")
    public static let invalidAccessReason = ProblemSlug("invalid-access-reason")
    public static let notFound = ProblemSlug("not-found")

    // Rules of the data
    public static let validationFailed = ProblemSlug("validation-failed")
    public static let duplicateEmail = ProblemSlug("duplicate-email")
    public static let duplicateKey = ProblemSlug("duplicate-key")
    public static let duplicateName = ProblemSlug("duplicate-name")
    public static let overlappingSupervision = ProblemSlug("overlapping-supervision")
    public static let invalidTransition = ProblemSlug("invalid-transition")
    public static let formVersionLocked = ProblemSlug("form-version-locked")
    public static let portfolioCompleted = ProblemSlug("portfolio-completed")
    public static let downloadWindowClosed = ProblemSlug("download-window-closed")
    public static let progressRecordSigned = ProblemSlug("progress-record-signed")
    public static let progressRecordUnsigned = ProblemSlug("progress-record-unsigned")
    public static let invitationUsed = ProblemSlug("invitation-used")
    public static let invitationExpired = ProblemSlug("invitation-expired")

    public static let evaluationAnswered = ProblemSlug("evaluation-answered")
    public static let evaluationNotOpen = ProblemSlug("evaluation-not-open")
    public static let evaluationStaysAnonymous = ProblemSlug("evaluation-stays-anonymous")
    public static let evaluationLinkUsed = ProblemSlug("evaluation-link-used")
    public static let evaluationLinkExpired = ProblemSlug("evaluation-link-expired")
    public static let breakdownUnavailable = ProblemSlug("breakdown-unavailable")
    public static let breakdownBelowThreshold = ProblemSlug("breakdown-below-threshold")

    public static let alreadyEnrolled = ProblemSlug("already-enrolled")
    public static let enrollmentWindowClosed = ProblemSlug("enrollment-window-closed")
    public static let activityCancelled = ProblemSlug("activity-cancelled")
    public static let activityStarted = ProblemSlug("activity-started")
    public static let traineeNotActive = ProblemSlug("trainee-not-active")
    public static let cancellationDeadlinePassed = ProblemSlug("cancellation-deadline-passed")
    public static let enrollmentEnded = ProblemSlug("enrollment-ended")
    public static let notDeclinable = ProblemSlug("not-declinable")
    public static let capacityBelowEnrolled = ProblemSlug("capacity-below-enrolled")
    public static let sessionNotHeld = ProblemSlug("session-not-held")
    public static let attendanceRecorded = ProblemSlug("attendance-recorded")

    // Writes that name a state
    public static let preconditionRequired = ProblemSlug("precondition-required")
    public static let preconditionFailed = ProblemSlug("precondition-failed")
    public static let invalidIdempotencyKey = ProblemSlug("invalid-idempotency-key")
    public static let idempotencyKeyReused = ProblemSlug("idempotency-key-reused")
    public static let idempotencyKeyInFlight = ProblemSlug("idempotency-key-in-flight")
    public static let idempotencyKeyNotReplayable = ProblemSlug("idempotency-key-not-replayable")

    // Retention
    public static let alreadyDisposed = ProblemSlug("already-disposed")
    public static let legalHoldExists = ProblemSlug("legal-hold-exists")
    public static let legalHoldReleased = ProblemSlug("legal-hold-released")
    public static let concurrentPolicyChange = ProblemSlug("concurrent-policy-change")
    public static let dryRunNotApprovable = ProblemSlug("dry-run-not-approvable")
    public static let runNotAwaitingApproval = ProblemSlug("run-not-awaiting-approval")
    public static let runNotApproved = ProblemSlug("run-not-approved")
    public static let runNotFinished = ProblemSlug("run-not-finished")
    public static let scheduledRunExists = ProblemSlug("scheduled-run-exists")
    public static let fourEyesRequired = ProblemSlug("four-eyes-required")

    // The job queue
    public static let jobNotRetried = ProblemSlug("job-not-retried")
    public static let jobNotCancelled = ProblemSlug("job-not-cancelled")

    // Mail
    public static let mailNotResent = ProblemSlug("mail-not-resent")

    // The server itself
    public static let internalError = ProblemSlug("internal-error")
    public static let serviceUnavailable = ProblemSlug("service-unavailable")
}
