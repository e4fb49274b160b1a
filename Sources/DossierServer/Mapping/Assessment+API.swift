import DossierAPI
import DossierCore
import Foundation
import OpenAPIRuntime

extension Components.Schemas.Assessment {
    init(_ assessment: Assessment) {
        self.init(
            id: assessment.id.description,
            portfolioId: assessment.portfolioID.description,
            instrument: assessment.instrument,
            formVersion: assessment.formVersion,
            isTest: assessment.isTest,
            assessor: .init(
                personId: assessment.assessor.personID?.description,
                invitationId: assessment.assessor.invitationID?.description,
                name: assessment.assessor.name,
                role: assessment.assessor.role
            ),
            answers: FormAnswersMapping.api(assessment.answers),
            narrative: assessment.narrative,
            assessedOn: assessment.assessedOn.description,
            createdAt: assessment.createdAt
        )
    }
}

extension Components.Schemas.AssessmentInvitation {
    init(_ invitation: AssessmentInvitation, now: Date) {
        self.init(
            id: invitation.id.description,
            portfolioId: invitation.portfolioID.description,
            instrument: invitation.instrument,
            inviteeName: invitation.inviteeName,
            status: .init(rawValue: invitation.status(at: now).rawValue) ?? .open,
            expiresAt: invitation.expiresAt,
            usedAt: invitation.usedAt,
            createdAt: invitation.createdAt
        )
    }
}
