import Foundation
import PostgresNIO

/// SQL for assessments and the invitations that let a feedback giver submit one.
public struct AssessmentRepository: Sendable {
    public init() {}

    public func insert(_ assessment: Assessment, on connection: PostgresConnection) async throws {
        let assessor = assessment.assessor
        try await connection.query(
            """
            INSERT INTO assessments (id, portfolio_id, form_key, form_version, is_test, assessor_id, invitation_id,
                                     assessor_name, assessor_role, answers, narrative, assessed_on, created_at)
            VALUES (\(assessment.id.uuid), \(assessment.portfolioID.uuid), \(assessment.instrument),
                    \(assessment.formVersion), \(assessment.isTest), \(assessor.personID?.uuid),
                    \(assessor.invitationID?.uuid), \(assessor.name), \(assessor.role),
                    \(JSONValue.object(assessment.answers).jsonText)::jsonb, \(assessment.narrative),
                    \(assessment.assessedOn.description)::date, \(assessment.createdAt))
            """,
            logger: PersonRepository.logger
        )
    }

    public func find(_ id: Assessment.ID, on connection: PostgresConnection) async throws -> Assessment? {
        let rows = try await connection.query(
            "SELECT \(unescaped: Self.columns) FROM assessments WHERE id = \(id.uuid)",
            logger: PersonRepository.logger
        )
        return try await Self.assessments(rows).first
    }

    /// A page of a portfolio's assessments in creation order.
    public func list(
        portfolio: Portfolio.ID,
        instrument: String?,
        includeTest: Bool,
        page: PageRequest,
        on connection: PostgresConnection
    ) async throws -> [Assessment] {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.columns) FROM assessments
            WHERE portfolio_id = \(portfolio.uuid) AND (\(includeTest) OR NOT is_test)
              AND (\(instrument)::text IS NULL OR form_key = \(instrument))
              AND (\(page.after)::uuid IS NULL OR id > \(page.after))
            ORDER BY id
            LIMIT \(page.limit + 1)
            """,
            logger: PersonRepository.logger
        )
        return try await Self.assessments(rows)
    }

    public func insert(
        _ invitation: AssessmentInvitation,
        tokenHash: [UInt8],
        by trainee: PersonID,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO assessment_invitations (id, portfolio_id, form_key, invitee_name, token_hash, expires_at,
                                                created_by, created_at)
            VALUES (\(invitation.id.uuid), \(invitation.portfolioID.uuid), \(invitation.instrument),
                    \(invitation.inviteeName), \(ByteBuffer(bytes: tokenHash)), \(invitation.expiresAt), \(trainee.uuid),
                    \(invitation.createdAt))
            """,
            logger: PersonRepository.logger
        )
    }

    public func invitations(
        portfolio: Portfolio.ID,
        page: PageRequest,
        on connection: PostgresConnection
    ) async throws -> [AssessmentInvitation] {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.invitationColumns) FROM assessment_invitations
            WHERE portfolio_id = \(portfolio.uuid) AND (\(page.after)::uuid IS NULL OR id > \(page.after))
            ORDER BY id
            LIMIT \(page.limit + 1)
            """,
            logger: PersonRepository.logger
        )
        return try await Self.invitations(rows)
    }

    public func invitation(tokenHash: [UInt8], on connection: PostgresConnection) async throws -> AssessmentInvitation?
    {
        let rows = try await connection.query(
            "SELECT \(unescaped: Self.invitationColumns) FROM assessment_invitations WHERE token_hash = \(ByteBuffer(bytes: tokenHash))",
            logger: PersonRepository.logger
        )
        return try await Self.invitations(rows).first
    }

    /// Marks the invitation used if it is still open at `now`; false when another submission
    /// was first or it expired. The row lock makes two concurrent submissions take turns.
    public func use(_ id: AssessmentInvitation.ID, at now: Date, on connection: PostgresConnection) async throws -> Bool
    {
        let rows = try await connection.query(
            """
            UPDATE assessment_invitations SET used_at = \(now)
            WHERE id = \(id.uuid) AND used_at IS NULL AND expires_at > \(now)
            RETURNING id
            """,
            logger: PersonRepository.logger
        ).collect()
        return !rows.isEmpty
    }

    private static let columns = """
        id, portfolio_id, form_key, form_version, is_test, assessor_id, invitation_id, assessor_name, assessor_role,
        answers::text, narrative, to_char(assessed_on, 'YYYY-MM-DD'), created_at
        """

    private static let invitationColumns = """
        id, portfolio_id, form_key, invitee_name, expires_at, used_at, created_at
        """

    private static func assessments(_ rows: PostgresRowSequence) async throws -> [Assessment] {
        var assessments: [Assessment] = []
        for try await row in rows {
            let (
                id, portfolio, key, version, isTest, assessorID, invitationID, name, role, answers, narrative, date,
                created
            ) = try row.decode(
                (UUID, UUID, String, Int, Bool, UUID?, UUID?, String, String, String, String, String, Date).self
            )
            guard case .object(let parsed) = try JSONValue(jsonText: answers), let assessedOn = CalendarDate(date)
            else { continue }
            assessments.append(
                Assessment(
                    id: .init(id),
                    portfolioID: .init(portfolio),
                    instrument: key,
                    formVersion: version,
                    isTest: isTest,
                    assessor: .init(
                        personID: assessorID.map(PersonID.init),
                        invitationID: invitationID.map { .init($0) },
                        name: name,
                        role: role
                    ),
                    answers: parsed,
                    narrative: narrative,
                    assessedOn: assessedOn,
                    createdAt: created
                )
            )
        }
        return assessments
    }

    private static func invitations(_ rows: PostgresRowSequence) async throws -> [AssessmentInvitation] {
        var invitations: [AssessmentInvitation] = []
        for try await (id, portfolio, key, name, expires, used, created) in rows.decode(
            (UUID, UUID, String, String, Date, Date?, Date).self
        ) {
            invitations.append(
                AssessmentInvitation(
                    id: .init(id),
                    portfolioID: .init(portfolio),
                    instrument: key,
                    inviteeName: name,
                    expiresAt: expires,
                    usedAt: used,
                    createdAt: created
                )
            )
        }
        return invitations
    }
}
