/// Every operation of the API, named by its `operationId` in openapi.yaml. A test checks that
/// the two lists are the same, so no route exists without a policy.
public enum APIOperation: String, CaseIterable, Sendable {
    case getHealth, getReadiness
    case getMe
    case listPeople, createPerson, importPeople, getPerson, updatePerson, recordCompletion, listAccessLog
    case getPortfolio, getPersonPortfolio
    case listEntries, createEntry, getEntry, updateEntry, createEntryComment
    case listAttachments, createAttachment, getAttachmentContent
    case listGroups, createGroup, getGroup
    case listSupervisions, createSupervision
    case listTokens, createToken, revokeToken
    case listServiceClients, createServiceClient, createServiceClientToken
    case listForms, createForm, getForm, listFormVersions, createFormVersion, getFormVersion, updateFormVersion
    case changeFormVersionStatus
    case listAssessments, createAssessment, getAssessment, listAssessmentInvitations, createAssessmentInvitation
    case getInvitation, submitInvitedAssessment
    case listProgressReviews, createProgressReview, getProgressReview, updateProgressReview, signProgressReview
    case amendProgressReview, getProgressReviewSchedule, listOverdueProgressReviews
    case exportPortfolio
    case getRetentionPolicy, listRetentionPolicyVersions, createRetentionPolicyVersion
    case listLegalHolds, createLegalHold, getLegalHold, releaseLegalHold
    case listRetentionRuns, createRetentionRun, getRetentionRun, listRetentionCandidates, approveRetentionRun
    case getRetentionCertificate, listDisposals
    case listJobs, retryJob, cancelJob
    case listEvaluations, createEvaluation, getEvaluation, updateEvaluation, listMyEvaluations
    case submitEvaluationResponse, getEvaluationReport, getEvaluationResponseRate
    case createEvaluationLink, getEvaluationLink, submitEvaluationLinkResponse
    case createEvaluationFollowUp, getMyEvaluation, listEvaluationResponseRates
    case listIpoActivities, createIpoActivity, getIpoActivity, updateIpoActivity, cancelIpoActivity
    case listIpoEnrollments, createIpoEnrollment, getIpoEnrollment, cancelIpoEnrollment, declineIpoEnrollment
    case listPersonIpoEnrollments, recordIpoAttendance, listIpoAttendance, getIpoRequirement, getIpoCompliance
    case getIpoStatistics
    case getDigestPreferences, updateDigestPreferences, getDigestPreview
    case listOutbox, resendOutboxMail, getUnsubscribe, confirmUnsubscribe

    /// Operations that need no token: the probes, and the links in a mail (an invitation, a
    /// response link, an unsubscribe link), whose token is the credential.
    public var isPublic: Bool {
        switch self {
        case .getHealth, .getReadiness, .getInvitation, .submitInvitedAssessment, .getEvaluationLink,
            .submitEvaluationLinkResponse, .getUnsubscribe, .confirmUnsubscribe:
            true
        default: false
        }
    }

    /// Operations about one person, where a caller who may not know that person gets 404.
    public var targetsPerson: Bool {
        self == .getPerson || self == .updatePerson || self == .recordCompletion || self == .listAccessLog
            || self == .getPortfolio || self == .getPersonPortfolio || self == .listEntries || self == .createEntry
            || self == .getEntry || self == .updateEntry || self == .createEntryComment
            || self == .listAttachments || self == .createAttachment || self == .getAttachmentContent
            || self == .listPersonIpoEnrollments || self == .getIpoRequirement || Self.portfolioRecords.contains(self)
    }

    private static let portfolioRecords: Set<APIOperation> = [
        .listAssessments, .createAssessment, .getAssessment, .listAssessmentInvitations, .createAssessmentInvitation,
        .listProgressReviews, .createProgressReview, .getProgressReview, .updateProgressReview, .signProgressReview,
        .amendProgressReview, .getProgressReviewSchedule, .exportPortfolio,
    ]
}

/// How the caller stands to the person an operation is about.
public enum Relation: Sendable, Equatable {
    /// The caller is that person.
    case own
    /// The caller supervises that trainee today, as the given kind.
    case supervises(SupervisionKind)
    /// The caller teaches the subject of an evaluation, or is the trainer it evaluates.
    case teachesSubject
    /// Neither.
    case unrelated
}

/// The outcome of a policy decision.
public enum Decision: Sendable, Equatable {
    /// Allowed under `rule`, which the access log records as the reason access was given.
    case allow(rule: String)
    /// Refused: `notFound` when the caller may not even know the resource exists.
    case deny(Denial)

    public enum Denial: Sendable, Equatable {
        case forbidden
        case notFound
    }
}

/// Need to know (design.md section 4), as one pure function: which caller may do which
/// operation on whom. Handlers never decide access; services ask this and act on the answer.
public enum AccessPolicy {
    public static func decide(_ operation: APIOperation, caller: Caller, relation: Relation = .unrelated) -> Decision {
        if operation.isPublic { return .allow(rule: "public") }
        // Only a person can be the subject of their own data.
        let relation = caller.personID == nil && relation == .own ? .unrelated : relation
        let refuse: Decision =
            operation.targetsPerson && !isVisible(caller: caller, relation: relation)
            ? .deny(.notFound) : .deny(.forbidden)
        if let scope = requiredScope(operation), !caller.scopes.contains(scope) { return refuse }
        let allowed: String? =
            switch operation {
            case .getHealth, .getReadiness, .getInvitation, .submitInvitedAssessment, .getEvaluationLink,
                .submitEvaluationLinkResponse, .getUnsubscribe, .confirmUnsubscribe:
                "public"
            case .getMe, .listGroups, .getGroup, .listForms, .getForm, .listFormVersions, .getFormVersion:
                "authenticated"
            case .createForm, .createFormVersion, .updateFormVersion, .changeFormVersionStatus:
                caller.has(.coordinator) ? "coordinator" : nil
            case .listAssessments, .getAssessment, .listProgressReviews, .getProgressReview, .getProgressReviewSchedule:
                readPortfolio(caller, relation)
            case .createAssessment:
                supervisorRule(relation)
            case .listAssessmentInvitations, .createAssessmentInvitation:
                relation == .own ? "own" : nil
            case .createProgressReview, .updateProgressReview, .signProgressReview, .amendProgressReview:
                supervisorRule(relation) ?? (caller.has(.coordinator) ? "coordinator" : nil)
            case .listOverdueProgressReviews:
                caller.serviceClientID != nil ? "service-client" : caller.has(.coordinator) ? "coordinator" : nil
            case .exportPortfolio:
                relation == .own
                    ? "own" : caller.has(.coordinator) && caller.accessReason != nil ? "coordinator:stated-reason" : nil
            case .getPerson:
                readPerson(caller, relation)
            case .getPortfolio, .getPersonPortfolio:
                readPortfolio(caller, relation)
            case .listEntries, .getEntry, .listAttachments, .getAttachmentContent:
                readPortfolioContent(caller, relation)
            case .createEntry, .updateEntry, .createAttachment:
                relation == .own ? "own" : nil
            case .createEntryComment:
                relation == .own ? "own" : supervisorRule(relation)
            case .listAccessLog:
                relation == .own ? "own" : staffRule(caller)
            case .listPeople, .listSupervisions:
                listRule(operation, caller)
            case .createPerson, .importPeople:
                caller.serviceClientID != nil ? "service-client" : caller.has(.admin) ? "admin" : nil
            case .updatePerson:
                relation == .own ? "own" : staffRule(caller)
            case .recordCompletion:
                staffRule(caller)
            case .createGroup, .createSupervision:
                caller.serviceClientID != nil ? "service-client" : staffRule(caller)
            case .listTokens, .createToken, .revokeToken:
                caller.personID == nil ? nil : "own"
            case .listServiceClients, .createServiceClient, .createServiceClientToken:
                caller.has(.admin) ? "admin" : nil
            case .getRetentionPolicy, .listRetentionPolicyVersions, .createRetentionPolicyVersion, .listLegalHolds,
                .createLegalHold, .getLegalHold, .releaseLegalHold, .listRetentionRuns, .createRetentionRun,
                .getRetentionRun, .listRetentionCandidates, .approveRetentionRun, .getRetentionCertificate,
                .listDisposals, .listJobs, .retryJob, .cancelJob:
                caller.has(.admin) ? "admin" : nil
            case .createEvaluation, .updateEvaluation, .getEvaluationResponseRate, .listEvaluationResponseRates:
                caller.has(.coordinator) ? "coordinator" : nil
            case .listEvaluations:
                caller.has(.coordinator)
                    ? "coordinator" : caller.roles.contains(where: Self.subjectStaff.contains) ? "subject-staff" : nil
            case .getEvaluation:
                caller.has(.coordinator) ? "coordinator" : subjectStaffRule(caller, relation)
            case .getEvaluationReport:
                caller.serviceClientID != nil
                    ? "service-client" : caller.has(.coordinator) ? "coordinator" : subjectStaffRule(caller, relation)
            case .listMyEvaluations, .getMyEvaluation, .submitEvaluationResponse, .createEvaluationLink:
                caller.personID == nil ? nil : "respondent"
            case .createEvaluationFollowUp:
                caller.has(.coordinator) ? "coordinator" : subjectStaffRule(caller, relation)
            case .listIpoActivities, .getIpoActivity:
                "authenticated"
            case .createIpoActivity, .updateIpoActivity, .cancelIpoActivity, .recordIpoAttendance, .listIpoAttendance,
                .getIpoCompliance:
                caller.has(.coordinator) ? "coordinator" : nil
            case .listIpoEnrollments, .getIpoStatistics:
                caller.serviceClientID != nil ? "service-client" : caller.has(.coordinator) ? "coordinator" : nil
            case .createIpoEnrollment, .cancelIpoEnrollment:
                relation == .own ? "own" : caller.has(.coordinator) ? "coordinator" : nil
            case .getIpoEnrollment:
                relation == .own
                    ? "own"
                    : caller.serviceClientID != nil ? "service-client" : caller.has(.coordinator) ? "coordinator" : nil
            case .declineIpoEnrollment:
                relation == .own ? "own" : nil
            case .listPersonIpoEnrollments, .getIpoRequirement:
                readPerson(caller, relation)
            case .getDigestPreferences, .updateDigestPreferences:
                caller.personID == nil ? nil : "own"
            case .getDigestPreview, .listOutbox, .resendOutboxMail:
                caller.has(.admin) ? "admin" : nil
            }
        return allowed.map { .allow(rule: $0) } ?? refuse
    }

    /// The scope a token needs for an operation, named in the operation's `security` requirement
    /// in openapi.yaml; nil only for the public operations, which take no token.
    public static func requiredScope(_ operation: APIOperation) -> Scope? {
        switch operation {
        case .getHealth, .getReadiness, .getInvitation, .submitInvitedAssessment, .getEvaluationLink,
            .submitEvaluationLinkResponse, .getUnsubscribe, .confirmUnsubscribe:
            nil
        case .getMe, .getPerson, .listPeople, .listAccessLog, .listGroups, .getGroup, .listSupervisions,
            .getDigestPreferences:
            .peopleRead
        case .createPerson, .importPeople, .updatePerson, .recordCompletion, .createGroup, .createSupervision,
            .updateDigestPreferences:
            .peopleWrite
        case .listTokens:
            .tokensRead
        case .createToken, .revokeToken:
            .tokensWrite
        case .listForms, .getForm, .listFormVersions, .getFormVersion:
            .formsRead
        case .createForm, .createFormVersion, .updateFormVersion, .changeFormVersionStatus:
            .formsWrite
        case .getPortfolio, .getPersonPortfolio, .listEntries, .getEntry, .listAttachments, .getAttachmentContent,
            .listAssessments, .getAssessment, .listAssessmentInvitations, .listProgressReviews, .getProgressReview,
            .getProgressReviewSchedule, .listOverdueProgressReviews, .exportPortfolio:
            .portfolioRead
        case .createEntry, .updateEntry, .createEntryComment, .createAttachment, .createAssessment,
            .createAssessmentInvitation, .createProgressReview, .updateProgressReview, .signProgressReview,
            .amendProgressReview:
            .portfolioWrite
        case .listServiceClients, .createServiceClient, .createServiceClientToken, .getRetentionPolicy,
            .listRetentionPolicyVersions, .createRetentionPolicyVersion, .listLegalHolds, .createLegalHold,
            .getLegalHold, .releaseLegalHold, .listRetentionRuns, .createRetentionRun, .getRetentionRun,
            .listRetentionCandidates, .approveRetentionRun, .getRetentionCertificate, .listDisposals, .listJobs,
            .retryJob, .cancelJob, .getDigestPreview, .listOutbox, .resendOutboxMail:
            .admin
        case .listEvaluations, .getEvaluation, .listMyEvaluations, .getMyEvaluation, .getEvaluationReport,
            .getEvaluationResponseRate, .listEvaluationResponseRates:
            .evaluationsRead
        case .createEvaluation, .updateEvaluation, .submitEvaluationResponse, .createEvaluationLink,
            .createEvaluationFollowUp:
            .evaluationsWrite
        case .listIpoActivities, .getIpoActivity, .listIpoEnrollments, .getIpoEnrollment, .listPersonIpoEnrollments,
            .listIpoAttendance, .getIpoRequirement, .getIpoCompliance, .getIpoStatistics:
            .ipoRead
        case .createIpoActivity, .updateIpoActivity, .cancelIpoActivity, .createIpoEnrollment, .cancelIpoEnrollment,
            .declineIpoEnrollment, .recordIpoAttendance:
            .ipoWrite
        }
    }

    /// The roles that teach or are evaluated: they see the evaluations of their own subjects.
    private static let subjectStaff: Set<Role> = [.teacher, .trainer, .standInTrainer, .internshipSupervisor]

    private static func subjectStaffRule(_ caller: Caller, _ relation: Relation) -> String? {
        relation == .teachesSubject && caller.roles.contains(where: subjectStaff.contains) ? "subject-staff" : nil
    }

    private static func readPerson(_ caller: Caller, _ relation: Relation) -> String? {
        if relation == .own { return "own" }
        if caller.serviceClientID != nil { return "service-client" }
        if let rule = staffRule(caller) { return rule }
        if case .supervises(let kind) = relation { return "supervisor:\(kind.rawValue)" }
        return nil
    }

    /// Portfolio metadata (status and windows) and the formal records (assessments, progress
    /// reviews, advice, decisions), which coordinators need to decide on progress: the trainee,
    /// their current supervisors, coordinators, and service clients with `portfolio:read`. Admins
    /// run retention from the CLI and the admin endpoints, not by reading portfolios.
    private static func readPortfolio(_ caller: Caller, _ relation: Relation) -> String? {
        if relation == .own { return "own" }
        if caller.serviceClientID != nil { return "service-client" }
        if caller.has(.coordinator) { return "coordinator" }
        return supervisorRule(relation)
    }

    /// Portfolio content: the trainee, their current supervisors (shared entries only, which the
    /// service enforces), service clients with `portfolio:read`, and coordinators who state a
    /// reason (`X-Access-Reason`), which the access log keeps with each row.
    private static func readPortfolioContent(_ caller: Caller, _ relation: Relation) -> String? {
        if relation == .own { return "own" }
        if caller.serviceClientID != nil { return "service-client" }
        if caller.has(.coordinator) && caller.accessReason != nil { return "coordinator:stated-reason" }
        return supervisorRule(relation)
    }

    private static func supervisorRule(_ relation: Relation) -> String? {
        if case .supervises(let kind) = relation { return "supervisor:\(kind.rawValue)" }
        return nil
    }

    /// Coordinators and admins, who act for the institute.
    private static func staffRule(_ caller: Caller) -> String? {
        if caller.has(.coordinator) { return "coordinator" }
        if caller.has(.admin) { return "admin" }
        return nil
    }

    /// Everyone for the institute's staff and service clients; supervisors see their own; a
    /// trainee sees their own supervisions but no list of people.
    private static func listRule(_ operation: APIOperation, _ caller: Caller) -> String? {
        if caller.serviceClientID != nil { return "service-client" }
        if let rule = staffRule(caller) { return rule }
        if !caller.roles.isDisjoint(with: SupervisionKind.supervisingRoles) { return "supervisor" }
        return operation == .listSupervisions ? "own" : nil
    }

    /// Whether the caller may know the person exists (and so gets 403, not 404, when refused).
    private static func isVisible(caller: Caller, relation: Relation) -> Bool {
        if case .supervises = relation { return true }
        return relation == .own || caller.serviceClientID != nil || caller.has(.admin) || caller.has(.coordinator)
    }
}
