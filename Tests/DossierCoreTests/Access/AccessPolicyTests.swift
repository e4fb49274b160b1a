import DossierCore
import DossierTestSupport
import Foundation
import Testing

@Suite struct AccessPolicyTests {
    static func person(_ roles: Set<Role>, scopes: Set<Scope>? = nil) -> Caller {
        Caller(
            principal: .person(PersonID(UUID()), roles: roles),
            tokenID: TokenID(UUID()),
            scopes: scopes ?? Scope.granted(to: roles),
            requestID: "r",
            clientIP: nil
        )
    }

    static func client(_ scopes: Set<Scope>) -> Caller {
        Caller(
            principal: .serviceClient(ServiceClientID(UUID())),
            tokenID: TokenID(UUID()),
            scopes: scopes,
            requestID: "r",
            clientIP: nil
        )
    }

    /// Every caller kind the table covers.
    static let callers: [String: Caller] = [
        "trainee": person([.trainee]),
        "trainer": person([.trainer]),
        "teacher": person([.teacher]),
        "coordinator": person([.coordinator]),
        "admin": person([.admin]),
        "client:people": client([.peopleRead, .peopleWrite]),
        "client:ipo": client([.ipoRead]),
    ]

    static let relations: [String: Relation] = ["own": .own, "supervised": .supervises(.trainer), "other": .unrelated]

    /// The expected outcome of every operation for every caller and relation: A = allowed,
    /// F = 403, N = 404. Columns: own / supervised / other, per caller in the order of `order`.
    static let order = ["trainee", "trainer", "teacher", "coordinator", "admin", "client:people", "client:ipo"]
    static let table: [APIOperation: [String]] = [
        .getHealth: ["AAA", "AAA", "AAA", "AAA", "AAA", "AAA", "AAA"],
        .getReadiness: ["AAA", "AAA", "AAA", "AAA", "AAA", "AAA", "AAA"],
        .getMe: ["AAA", "AAA", "AAA", "AAA", "AAA", "AAA", "FFF"],
        .getPerson: ["AAN", "AAN", "AAN", "AAA", "AAA", "AAA", "FFF"],
        .listPeople: ["FFF", "AAA", "AAA", "AAA", "AAA", "AAA", "FFF"],
        .createPerson: ["FFF", "FFF", "FFF", "FFF", "AAA", "AAA", "FFF"],
        .importPeople: ["FFF", "FFF", "FFF", "FFF", "AAA", "AAA", "FFF"],
        .updatePerson: ["AFN", "AFN", "AFN", "AAA", "AAA", "FFF", "FFF"],
        .recordCompletion: ["FFN", "FFN", "FFN", "AAA", "AAA", "FFF", "FFF"],
        .listAccessLog: ["AFN", "AFN", "AFN", "AAA", "AAA", "FFF", "FFF"],
        .getPortfolio: ["AAN", "AAN", "AAN", "AAA", "FFF", "FFF", "FFF"],
        .getPersonPortfolio: ["AAN", "AAN", "AAN", "AAA", "FFF", "FFF", "FFF"],
        .listEntries: ["AAN", "AAN", "AAN", "AAF", "FFF", "FFF", "FFF"],
        .getEntry: ["AAN", "AAN", "AAN", "AAF", "FFF", "FFF", "FFF"],
        .createEntry: ["AFN", "AFN", "AFN", "AFF", "FFF", "FFF", "FFF"],
        .updateEntry: ["AFN", "AFN", "AFN", "AFF", "FFF", "FFF", "FFF"],
        .listAttachments: ["AAN", "AAN", "AAN", "AAF", "FFF", "FFF", "FFF"],
        .getAttachmentContent: ["AAN", "AAN", "AAN", "AAF", "FFF", "FFF", "FFF"],
        .createAttachment: ["AFN", "AFN", "AFN", "AFF", "FFF", "FFF", "FFF"],
        .createEntryComment: ["AAN", "AAN", "AAN", "AAF", "FFF", "FFF", "FFF"],
        .listGroups: ["AAA", "AAA", "AAA", "AAA", "AAA", "AAA", "FFF"],
        .getGroup: ["AAA", "AAA", "AAA", "AAA", "AAA", "AAA", "FFF"],
        .createGroup: ["FFF", "FFF", "FFF", "AAA", "AAA", "AAA", "FFF"],
        .listSupervisions: ["AAA", "AAA", "AAA", "AAA", "AAA", "AAA", "FFF"],
        .createSupervision: ["FFF", "FFF", "FFF", "AAA", "AAA", "AAA", "FFF"],
        .listTokens: ["AAA", "AAA", "AAA", "AAA", "AAA", "FFF", "FFF"],
        .createToken: ["AAA", "AAA", "AAA", "AAA", "AAA", "FFF", "FFF"],
        .revokeToken: ["AAA", "AAA", "AAA", "AAA", "AAA", "FFF", "FFF"],
        .listServiceClients: ["FFF", "FFF", "FFF", "FFF", "AAA", "FFF", "FFF"],
        .createServiceClient: ["FFF", "FFF", "FFF", "FFF", "AAA", "FFF", "FFF"],
        .createServiceClientToken: ["FFF", "FFF", "FFF", "FFF", "AAA", "FFF", "FFF"],
        .listForms: ["AAA", "AAA", "AAA", "AAA", "AAA", "FFF", "FFF"],
        .getForm: ["AAA", "AAA", "AAA", "AAA", "AAA", "FFF", "FFF"],
        .listFormVersions: ["AAA", "AAA", "AAA", "AAA", "AAA", "FFF", "FFF"],
        .getFormVersion: ["AAA", "AAA", "AAA", "AAA", "AAA", "FFF", "FFF"],
        .createForm: ["FFF", "FFF", "FFF", "AAA", "FFF", "FFF", "FFF"],
        .createFormVersion: ["FFF", "FFF", "FFF", "AAA", "FFF", "FFF", "FFF"],
        .updateFormVersion: ["FFF", "FFF", "FFF", "AAA", "FFF", "FFF", "FFF"],
        .changeFormVersionStatus: ["FFF", "FFF", "FFF", "AAA", "FFF", "FFF", "FFF"],
        .listAssessments: ["AAN", "AAN", "AAN", "AAA", "FFF", "FFF", "FFF"],
        .getAssessment: ["AAN", "AAN", "AAN", "AAA", "FFF", "FFF", "FFF"],
        .createAssessment: ["FAN", "FAN", "FAN", "FAF", "FFF", "FFF", "FFF"],
        .listAssessmentInvitations: ["AFN", "AFN", "AFN", "AFF", "FFF", "FFF", "FFF"],
        .createAssessmentInvitation: ["AFN", "AFN", "AFN", "AFF", "FFF", "FFF", "FFF"],
        .getInvitation: ["AAA", "AAA", "AAA", "AAA", "AAA", "AAA", "AAA"],
        .submitInvitedAssessment: ["AAA", "AAA", "AAA", "AAA", "AAA", "AAA", "AAA"],
        .listProgressReviews: ["AAN", "AAN", "AAN", "AAA", "FFF", "FFF", "FFF"],
        .getProgressReview: ["AAN", "AAN", "AAN", "AAA", "FFF", "FFF", "FFF"],
        .getProgressReviewSchedule: ["AAN", "AAN", "AAN", "AAA", "FFF", "FFF", "FFF"],
        .createProgressReview: ["FAN", "FAN", "FAN", "AAA", "FFF", "FFF", "FFF"],
        .updateProgressReview: ["FAN", "FAN", "FAN", "AAA", "FFF", "FFF", "FFF"],
        .signProgressReview: ["FAN", "FAN", "FAN", "AAA", "FFF", "FFF", "FFF"],
        .amendProgressReview: ["FAN", "FAN", "FAN", "AAA", "FFF", "FFF", "FFF"],
        .listOverdueProgressReviews: ["FFF", "FFF", "FFF", "AAA", "FFF", "FFF", "FFF"],
        .exportPortfolio: ["AFN", "AFN", "AFN", "AFF", "FFF", "FFF", "FFF"],
        .getRetentionPolicy: ["FFF", "FFF", "FFF", "FFF", "AAA", "FFF", "FFF"],
        .listRetentionPolicyVersions: ["FFF", "FFF", "FFF", "FFF", "AAA", "FFF", "FFF"],
        .createRetentionPolicyVersion: ["FFF", "FFF", "FFF", "FFF", "AAA", "FFF", "FFF"],
        .listLegalHolds: ["FFF", "FFF", "FFF", "FFF", "AAA", "FFF", "FFF"],
        .createLegalHold: ["FFF", "FFF", "FFF", "FFF", "AAA", "FFF", "FFF"],
        .getLegalHold: ["FFF", "FFF", "FFF", "FFF", "AAA", "FFF", "FFF"],
        .releaseLegalHold: ["FFF", "FFF", "FFF", "FFF", "AAA", "FFF", "FFF"],
        .listRetentionRuns: ["FFF", "FFF", "FFF", "FFF", "AAA", "FFF", "FFF"],
        .createRetentionRun: ["FFF", "FFF", "FFF", "FFF", "AAA", "FFF", "FFF"],
        .getRetentionRun: ["FFF", "FFF", "FFF", "FFF", "AAA", "FFF", "FFF"],
        .listRetentionCandidates: ["FFF", "FFF", "FFF", "FFF", "AAA", "FFF", "FFF"],
        .approveRetentionRun: ["FFF", "FFF", "FFF", "FFF", "AAA", "FFF", "FFF"],
        .getRetentionCertificate: ["FFF", "FFF", "FFF", "FFF", "AAA", "FFF", "FFF"],
        .listDisposals: ["FFF", "FFF", "FFF", "FFF", "AAA", "FFF", "FFF"],
        .listJobs: ["FFF", "FFF", "FFF", "FFF", "AAA", "FFF", "FFF"],
        .retryJob: ["FFF", "FFF", "FFF", "FFF", "AAA", "FFF", "FFF"],
        .cancelJob: ["FFF", "FFF", "FFF", "FFF", "AAA", "FFF", "FFF"],
        .listEvaluations: ["FFF", "AAA", "AAA", "AAA", "FFF", "FFF", "FFF"],
        .createEvaluation: ["FFF", "FFF", "FFF", "AAA", "FFF", "FFF", "FFF"],
        .getEvaluation: ["FFF", "FFF", "FFF", "AAA", "FFF", "FFF", "FFF"],
        .updateEvaluation: ["FFF", "FFF", "FFF", "AAA", "FFF", "FFF", "FFF"],
        .listMyEvaluations: ["AAA", "AAA", "AAA", "AAA", "FFF", "FFF", "FFF"],
        .submitEvaluationResponse: ["AAA", "AAA", "AAA", "AAA", "FFF", "FFF", "FFF"],
        .getEvaluationReport: ["FFF", "FFF", "FFF", "AAA", "FFF", "FFF", "FFF"],
        .getEvaluationResponseRate: ["FFF", "FFF", "FFF", "AAA", "FFF", "FFF", "FFF"],
        .createEvaluationLink: ["AAA", "AAA", "AAA", "AAA", "FFF", "FFF", "FFF"],
        .getEvaluationLink: ["AAA", "AAA", "AAA", "AAA", "AAA", "AAA", "AAA"],
        .submitEvaluationLinkResponse: ["AAA", "AAA", "AAA", "AAA", "AAA", "AAA", "AAA"],
        .createEvaluationFollowUp: ["FFF", "FFF", "FFF", "AAA", "FFF", "FFF", "FFF"],
        .getMyEvaluation: ["AAA", "AAA", "AAA", "AAA", "FFF", "FFF", "FFF"],
        .listEvaluationResponseRates: ["FFF", "FFF", "FFF", "AAA", "FFF", "FFF", "FFF"],
        .listIpoActivities: ["AAA", "AAA", "AAA", "AAA", "FFF", "FFF", "AAA"],
        .getIpoActivity: ["AAA", "AAA", "AAA", "AAA", "FFF", "FFF", "AAA"],
        .createIpoActivity: ["FFF", "FFF", "FFF", "AAA", "FFF", "FFF", "FFF"],
        .updateIpoActivity: ["FFF", "FFF", "FFF", "AAA", "FFF", "FFF", "FFF"],
        .cancelIpoActivity: ["FFF", "FFF", "FFF", "AAA", "FFF", "FFF", "FFF"],
        .listIpoEnrollments: ["FFF", "FFF", "FFF", "AAA", "FFF", "FFF", "AAA"],
        .createIpoEnrollment: ["AFF", "FFF", "FFF", "AAA", "FFF", "FFF", "FFF"],
        .getIpoEnrollment: ["AFF", "AFF", "AFF", "AAA", "FFF", "FFF", "AAA"],
        .cancelIpoEnrollment: ["AFF", "FFF", "FFF", "AAA", "FFF", "FFF", "FFF"],
        .declineIpoEnrollment: ["AFF", "FFF", "FFF", "AFF", "FFF", "FFF", "FFF"],
        .listPersonIpoEnrollments: ["AAN", "AAN", "AAN", "AAA", "FFF", "FFF", "AAA"],
        .recordIpoAttendance: ["FFF", "FFF", "FFF", "AAA", "FFF", "FFF", "FFF"],
        .listIpoAttendance: ["FFF", "FFF", "FFF", "AAA", "FFF", "FFF", "FFF"],
        .getIpoRequirement: ["AAN", "AAN", "AAN", "AAA", "FFF", "FFF", "AAA"],
        .getIpoCompliance: ["FFF", "FFF", "FFF", "AAA", "FFF", "FFF", "FFF"],
        .getIpoStatistics: ["FFF", "FFF", "FFF", "AAA", "FFF", "FFF", "AAA"],
        .getDigestPreferences: ["AAA", "AAA", "AAA", "AAA", "AAA", "FFF", "FFF"],
        .updateDigestPreferences: ["AAA", "AAA", "AAA", "AAA", "AAA", "FFF", "FFF"],
        .getDigestPreview: ["FFF", "FFF", "FFF", "FFF", "AAA", "FFF", "FFF"],
        .listOutbox: ["FFF", "FFF", "FFF", "FFF", "AAA", "FFF", "FFF"],
        .resendOutboxMail: ["FFF", "FFF", "FFF", "FFF", "AAA", "FFF", "FFF"],
        .getUnsubscribe: ["AAA", "AAA", "AAA", "AAA", "AAA", "AAA", "AAA"],
        .confirmUnsubscribe: ["AAA", "AAA", "AAA", "AAA", "AAA", "AAA", "AAA"],
    ]

    /// Evaluations are not about a person: a teacher of the subject, or the trainer evaluated,
    /// reads the evaluation and its report but not its response rate (staff data for
    /// coordinators); a service client with `evaluations:read` reads reports only.
    @Test func theSubjectsStaffAndServiceClientsReadWhatTheirRuleGives() {
        let teacher = Self.person([.teacher])
        let trainer = Self.person([.trainer])
        let reporting = Self.client([.evaluationsRead])
        for caller in [teacher, trainer] {
            #expect(
                AccessPolicy.decide(.getEvaluation, caller: caller, relation: .teachesSubject)
                    == .allow(rule: "subject-staff")
            )
            #expect(
                AccessPolicy.decide(.getEvaluationReport, caller: caller, relation: .teachesSubject)
                    == .allow(rule: "subject-staff")
            )
            #expect(
                AccessPolicy.decide(.getEvaluationResponseRate, caller: caller, relation: .teachesSubject)
                    == .deny(.forbidden)
            )
            #expect(
                AccessPolicy.decide(.updateEvaluation, caller: caller, relation: .teachesSubject) == .deny(.forbidden)
            )
        }
        #expect(AccessPolicy.decide(.getEvaluationReport, caller: reporting) == .allow(rule: "service-client"))
        #expect(AccessPolicy.decide(.getEvaluation, caller: reporting) == .deny(.forbidden))
        #expect(AccessPolicy.decide(.listEvaluations, caller: reporting) == .deny(.forbidden))
        #expect(
            AccessPolicy.decide(.getEvaluationReport, caller: Self.person([.trainee]), relation: .teachesSubject)
                == .deny(.forbidden)
        )
    }

    @Test func everyOperationOfTheContractHasAPolicyAndARowInTheTable() throws {
        let spec = try String(contentsOf: PackagePaths.root.appendingPathComponent("openapi.yaml"), encoding: .utf8)
        let ids = Set(spec.matches(of: /operationId: (\w+)/).map { String($0.output.1) })

        #expect(ids == Set(APIOperation.allCases.map(\.rawValue)))
        #expect(Set(Self.table.keys) == Set(APIOperation.allCases))
    }

    @Test(arguments: APIOperation.allCases)
    func theDecisionMatchesTheTable(operation: APIOperation) throws {
        let row = try #require(Self.table[operation])
        for (index, name) in Self.order.enumerated() {
            let caller = try #require(Self.callers[name])
            for (position, relation) in ["own", "supervised", "other"].enumerated() {
                let expected = Array(row[index])[position]
                let decision = AccessPolicy.decide(
                    operation,
                    caller: caller,
                    relation: Self.relations[relation] ?? .unrelated
                )
                let actual: Character =
                    switch decision {
                    case .allow: "A"
                    case .deny(.forbidden): "F"
                    case .deny(.notFound): "N"
                    }
                #expect(actual == expected, "\(operation.rawValue) as \(name) on \(relation)")
            }
        }
    }

    @Test func aTokenWithoutTheScopeCannotUseTheRoleBehindIt() {
        let coordinatorWithReadOnlyToken = Self.person([.coordinator], scopes: [.peopleRead])

        #expect(AccessPolicy.decide(.getPerson, caller: coordinatorWithReadOnlyToken) == .allow(rule: "coordinator"))
        #expect(AccessPolicy.decide(.recordCompletion, caller: coordinatorWithReadOnlyToken) == .deny(.forbidden))
    }

    @Test func aCoordinatorReadsPortfolioContentOnlyWithAStatedReason() {
        let reasoned = Caller(
            principal: .person(PersonID(UUID()), roles: [.coordinator]),
            tokenID: TokenID(UUID()),
            scopes: Scope.granted(to: [.coordinator]),
            requestID: "r",
            clientIP: nil,
            accessReason: "appeal 2026-14"
        )

        #expect(AccessPolicy.decide(.listEntries, caller: Self.person([.coordinator])) == .deny(.forbidden))
        #expect(AccessPolicy.decide(.listEntries, caller: reasoned) == .allow(rule: "coordinator:stated-reason"))
        #expect(AccessPolicy.decide(.createEntry, caller: reasoned) == .deny(.forbidden))
    }

    @Test func theRuleNamesWhatAllowedTheAccess() {
        #expect(
            AccessPolicy.decide(.getPerson, caller: Self.person([.trainer]), relation: .supervises(.trainer))
                == .allow(rule: "supervisor:trainer")
        )
        #expect(AccessPolicy.decide(.getPerson, caller: Self.person([.coordinator])) == .allow(rule: "coordinator"))
        #expect(AccessPolicy.decide(.getPerson, caller: Self.person([.trainee]), relation: .own) == .allow(rule: "own"))
    }
}
