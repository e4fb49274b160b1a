import Foundation

/// Assessments: a current supervisor assesses on an instrument's form; a trainee invites a
/// feedback giver for one assessment through a single-use link; reads by anyone but the
/// trainee are access-logged.
public struct AssessmentService: Sendable {
    private let database: Database
    private let clock: any WallClock
    private let assessments = AssessmentRepository()
    private let portfolios = PortfolioRepository()
    private let people = PersonRepository()
    private let accessLog = AccessLogRepository()
    private let access = PortfolioAccess()
    private let responses = FormResponses()

    private let mailer: InvitationMailer?

    public init(database: Database, clock: any WallClock, mailer: InvitationMailer? = nil) {
        self.database = database
        self.clock = clock
        self.mailer = mailer
    }

    public struct Input: Sendable {
        public var instrument: String
        public var formVersion: Int?
        public var answers: [String: JSONValue]
        public var narrative: String
        public var assessedOn: String

        public init(
            instrument: String,
            formVersion: Int?,
            answers: [String: JSONValue],
            narrative: String,
            assessedOn: String
        ) {
            self.instrument = instrument
            self.formVersion = formVersion
            self.answers = answers
            self.narrative = narrative
            self.assessedOn = assessedOn
        }
    }

    public func list(
        _ portfolioID: Portfolio.ID,
        instrument: String?,
        includeTest: Bool,
        page: PageRequest,
        caller: Caller
    ) async throws -> Page<Assessment> {
        let now = clock.now()
        return try await database.transaction { connection in
            let grant = try await access.portfolio(
                portfolioID,
                for: .listAssessments,
                caller: caller,
                now: now,
                on: connection
            )
            let fetched = try await assessments.list(
                portfolio: portfolioID,
                instrument: instrument,
                includeTest: includeTest,
                page: page,
                on: connection
            )
            try await grant.log(.read, "assessments", id: portfolioID.uuid, on: connection)
            return Page(fetched: fetched, limit: page.limit) { $0.id.uuid }
        }
    }

    public func get(_ id: Assessment.ID, caller: Caller) async throws -> Assessment {
        let now = clock.now()
        return try await database.transaction { connection in
            guard let assessment = try await assessments.find(id, on: connection) else {
                throw DossierError.notFound("assessment")
            }
            let grant = try await access.portfolio(
                assessment.portfolioID,
                for: .getAssessment,
                caller: caller,
                now: now,
                on: connection
            )
            try await grant.log(.read, "assessment", id: assessment.id.uuid, on: connection)
            return assessment
        }
    }

    /// A current supervisor's assessment of the trainee.
    public func create(_ portfolioID: Portfolio.ID, _ input: Input, caller: Caller) async throws -> Assessment {
        let now = clock.now()
        let today = CalendarDate(now)
        let errors = Assessment.validate(narrative: input.narrative, assessedOn: input.assessedOn, today: today)
        guard let assessorID = caller.personID else { throw DossierError.forbidden("Only a supervisor assesses.") }
        return try await database.transaction { connection in
            let grant = try await access.portfolio(
                portfolioID,
                for: .createAssessment,
                caller: caller,
                now: now,
                on: connection
            )
            guard case .supervises(let kind) = grant.relation else {
                throw DossierError.forbidden("Only a current supervisor of the trainee assesses.")
            }
            try grant.portfolio.requireActive(on: today, refusing: "a completed portfolio takes no new assessments")
            let (version, isTest) = try await responses.version(
                of: input.instrument,
                purpose: .assessment,
                requested: input.formVersion,
                keyPointer: "/instrument",
                on: connection
            )
            let all = errors + FormAnswers.validate(input.answers, against: version.definition)
            guard all.isEmpty, let assessedOn = CalendarDate(input.assessedOn) else {
                throw DossierError.validation(all)
            }
            guard let assessor = try await people.find(assessorID, on: connection) else {
                throw DossierError.notFound("person")
            }
            let assessment = Assessment(
                id: .generate(),
                portfolioID: portfolioID,
                instrument: version.formKey,
                formVersion: version.version,
                isTest: isTest,
                assessor: .init(personID: assessorID, invitationID: nil, name: assessor.name, role: kind.rawValue),
                answers: input.answers,
                narrative: input.narrative,
                assessedOn: assessedOn,
                createdAt: now
            )
            try await assessments.insert(assessment, on: connection)
            try await grant.log(.create, "assessment", id: assessment.id.uuid, on: connection)
            return assessment
        }
    }

    /// The trainee's invitation and its secret token, which exists only in this return value.
    public func invite(
        _ portfolioID: Portfolio.ID,
        instrument: String,
        inviteeName text: String,
        inviteeEmail: String? = nil,
        caller: Caller
    ) async throws -> (invitation: AssessmentInvitation, token: String, mailed: Bool) {
        let inviteeName = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var errors: [FieldError] = []
        if !(1...200).contains(inviteeName.count) {
            errors.append(FieldError("/invitee_name", "must be 1-200 characters"))
        }
        if let inviteeEmail, !EmailAddress.isValid(inviteeEmail) {
            errors.append(FieldError("/invitee_email", "must be an e-mail address"))
        }
        guard errors.isEmpty else { throw DossierError.validation(errors) }
        guard let trainee = caller.personID else { throw DossierError.forbidden("Only the trainee invites.") }
        let now = clock.now()
        let token = TokenSecret.generate(prefix: AssessmentInvitation.tokenPrefix)
        return try await database.transaction { connection in
            let portfolio = try await access.portfolio(
                portfolioID,
                for: .createAssessmentInvitation,
                caller: caller,
                now: now,
                on: connection
            ).portfolio
            try portfolio.requireActive(
                on: CalendarDate(now),
                refusing: "a completed portfolio takes no new assessments"
            )
            _ = try await responses.version(
                of: instrument,
                purpose: .assessment,
                requested: nil,
                keyPointer: "/instrument",
                on: connection
            )
            let invitation = AssessmentInvitation(
                id: .generate(),
                portfolioID: portfolio.id,
                instrument: instrument,
                inviteeName: inviteeName,
                expiresAt: now.addingTimeInterval(AssessmentInvitation.lifetime),
                usedAt: nil,
                createdAt: now
            )
            try await assessments.insert(invitation, tokenHash: TokenSecret.hash(token), by: trainee, on: connection)
            guard let inviteeEmail, let mailer else { return (invitation, token, false) }
            let name = try await PersonRepository().find(trainee, on: connection)?.name ?? "A trainee"
            try await mailer.queue(
                InvitationMail(
                    email: inviteeEmail,
                    traineeName: name,
                    instrument: instrument,
                    link: "\(mailer.baseURL)/v1/invitations/\(token)",
                    expiresOn: CalendarDate(invitation.expiresAt)
                ),
                key: "invitation:\(invitation.id)",
                at: now,
                on: connection
            )
            return (invitation, token, true)
        }
    }

    public func invitations(
        _ portfolioID: Portfolio.ID,
        page: PageRequest,
        caller: Caller
    ) async throws -> Page<AssessmentInvitation> {
        let now = clock.now()
        return try await database.read { connection in
            _ = try await access.portfolio(
                portfolioID,
                for: .listAssessmentInvitations,
                caller: caller,
                now: now,
                on: connection
            )
            let fetched = try await assessments.invitations(portfolio: portfolioID, page: page, on: connection)
            return Page(fetched: fetched, limit: page.limit) { $0.id.uuid }
        }
    }

    /// What an invitation asks the feedback giver to fill in.
    public struct InvitationView: Sendable {
        public let invitation: AssessmentInvitation
        public let title: String
        public let version: FormVersion
        public let traineeName: String
    }

    public func view(invitation token: String) async throws -> InvitationView {
        let now = clock.now()
        return try await database.read { connection in
            let (invitation, portfolio) = try await open(token, at: now, on: connection)
            let (version, _) = try await responses.version(
                of: invitation.instrument,
                purpose: .assessment,
                requested: nil,
                keyPointer: "/instrument",
                on: connection
            )
            let title =
                try await FormRepository().list(purpose: nil, key: invitation.instrument, on: connection)
                .first?.title ?? invitation.instrument
            let trainee = try await people.find(portfolio.traineeID, on: connection)
            return InvitationView(
                invitation: invitation,
                title: title,
                version: version,
                traineeName: trainee?.name ?? ""
            )
        }
    }

    public struct InvitedInput: Sendable {
        public var assessorName: String
        public var answers: [String: JSONValue]
        public var narrative: String
        public var assessedOn: String

        public init(assessorName: String, answers: [String: JSONValue], narrative: String, assessedOn: String) {
            self.assessorName = assessorName
            self.answers = answers
            self.narrative = narrative
            self.assessedOn = assessedOn
        }
    }

    /// The one submission an invitation allows. The access log records it under the invitation,
    /// the only identity a feedback giver has.
    public func submit(
        invitation token: String,
        _ input: InvitedInput,
        requestID: String,
        clientIP: String?
    ) async throws -> Assessment {
        let now = clock.now()
        let today = CalendarDate(now)
        var errors = Assessment.validate(narrative: input.narrative, assessedOn: input.assessedOn, today: today)
        let assessorName = input.assessorName.trimmingCharacters(in: .whitespacesAndNewlines)
        if !(1...200).contains(assessorName.count) {
            errors.append(FieldError("/assessor_name", "must be 1-200 characters"))
        }
        return try await database.transaction { connection in
            let (invitation, portfolio) = try await open(token, at: now, on: connection)
            try portfolio.requireActive(on: today, refusing: "the invitation can no longer be used")
            let (version, isTest) = try await responses.version(
                of: invitation.instrument,
                purpose: .assessment,
                requested: nil,
                keyPointer: "/instrument",
                on: connection
            )
            errors += FormAnswers.validate(input.answers, against: version.definition)
            guard errors.isEmpty, let assessedOn = CalendarDate(input.assessedOn) else {
                throw DossierError.validation(errors)
            }
            guard try await assessments.use(invitation.id, at: now, on: connection) else {
                throw Self.usedUp
            }
            let assessment = Assessment(
                id: .generate(),
                portfolioID: portfolio.id,
                instrument: version.formKey,
                formVersion: version.version,
                isTest: isTest,
                assessor: .init(personID: nil, invitationID: invitation.id, name: assessorName, role: "feedback_giver"),
                answers: input.answers,
                narrative: input.narrative,
                assessedOn: assessedOn,
                createdAt: now
            )
            try await assessments.insert(assessment, on: connection)
            try await accessLog.append(
                [
                    AccessLogEntry(
                        id: .generate(),
                        occurredAt: now,
                        action: .create,
                        actorPersonID: nil,
                        serviceClientID: nil,
                        tokenID: nil,
                        role: "feedback_giver",
                        clientIP: clientIP,
                        subjectID: portfolio.traineeID,
                        resourceType: "assessment",
                        resourceID: assessment.id.uuid,
                        rule: "invitation:\(invitation.id)",
                        reason: nil,
                        requestID: requestID
                    )
                ],
                on: connection
            )
            return assessment
        }
    }

    /// The open invitation behind `token`: 404 when unknown, 410 when used or expired.
    private func open(
        _ token: String,
        at now: Date,
        on connection: DatabaseConnection
    ) async throws -> (AssessmentInvitation, Portfolio) {
        guard AssessmentInvitation.isWellFormed(token),
            let invitation = try await assessments.invitation(tokenHash: TokenSecret.hash(token), on: connection),
            let portfolio = try await portfolios.find(invitation.portfolioID, on: connection)
        else { throw DossierError.notFound("invitation") }
        switch invitation.status(at: now) {
        case .open: return (invitation, portfolio)
        case .used: throw Self.usedUp
        case .expired:
            throw DossierError(
                .gone,
                slug: .invitationExpired,
                detail:
                    "This invitation expired at \(invitation.expiresAt.formatted(.iso8601)); ask the trainee for a new one."
            )
        }
    }

    private static let usedUp = DossierError(
        .gone,
        slug: .invitationUsed,
        detail: "This invitation has been used; each invitation is good for one assessment."
    )
}
