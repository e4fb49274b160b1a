import DossierAPI
import DossierCore

extension Components.Schemas.Supervision {
    init(_ supervision: Supervision) {
        self.init(
            id: supervision.id.description,
            kind: .init(rawValue: supervision.kind.rawValue) ?? .trainer,
            supervisorId: supervision.supervisorID.description,
            traineeId: supervision.traineeID.description,
            validFrom: supervision.validFrom.description,
            validUntil: supervision.validUntil?.description,
            createdAt: supervision.createdAt,
            updatedAt: supervision.updatedAt
        )
    }
}

extension Components.Schemas.Group {
    init(_ group: Group) {
        self.init(
            id: group.id.description,
            name: group.name,
            kind: .init(rawValue: group.kind.rawValue) ?? .year,
            trainingYear: group.trainingYear,
            site: .init(rawValue: group.site.rawValue) ?? .leiden,
            teacherIds: group.teacherIDs.map(\.description),
            memberIds: group.memberIDs.map(\.description),
            createdAt: group.createdAt,
            updatedAt: group.updatedAt
        )
    }
}
