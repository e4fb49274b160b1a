import DossierAPI
import DossierCore
import Foundation
import OpenAPIRuntime

extension Components.Schemas.Person {
    init(_ person: Person) {
        self.init(
            id: person.id.description,
            name: person.name,
            email: person.email,
            roles: person.roles.sorted().compactMap { .init(rawValue: $0.rawValue) },
            trainee: person.trainee.map(Components.Schemas.TraineeProfile.init),
            createdAt: person.createdAt,
            updatedAt: person.updatedAt
        )
    }
}

extension Components.Schemas.TraineeProfile {
    init(_ profile: TraineeProfile) {
        self.init(
            startDate: profile.startDate.description,
            expectedEndDate: profile.expectedEndDate.description,
            trainingYear: profile.trainingYear,
            site: .init(rawValue: profile.site.rawValue) ?? .leiden,
            groupId: profile.groupID?.description,
            status: .init(rawValue: profile.status.rawValue) ?? .active,
            completedAt: profile.completedAt?.description
        )
    }
}

extension PersonInput {
    init(_ body: Components.Schemas.PersonCreate) {
        self.init(
            name: body.name,
            email: body.email,
            roles: body.roles,
            trainee: body.trainee.map {
                TraineeInput(
                    startDate: $0.startDate,
                    expectedEndDate: $0.expectedEndDate,
                    trainingYear: $0.trainingYear.map(Int.init),
                    site: $0.site,
                    groupID: $0.groupId
                )
            }
        )
    }
}

extension PersonPatch {
    /// Decodes a JSON Merge Patch by hand, so `null` (clear) and an absent key (keep) stay apart.
    /// Unknown keys are a 400 naming the key; server-owned keys are collected for a 422.
    init(mergePatch container: OpenAPIRuntime.OpenAPIValueContainer) throws(DossierError) {
        self.init()
        for (key, value) in try MergePatch.object(container) {
            switch key {
            case "name": name = try MergePatch.field(value, "/name", as: String.self)
            case "email": email = try MergePatch.field(value, "/email", as: String.self)
            case "roles": roles = try MergePatch.field(value, "/roles", as: [String].self)
            case "trainee": try decodeTrainee(value)
            case "id", "created_at", "updated_at", "version": serverOwned.append("/\(key)")
            default: throw MergePatch.unknown("/\(key)")
            }
        }
    }

    private mutating func decodeTrainee(_ value: (any Sendable)?) throws(DossierError) {
        guard let object = value as? [String: (any Sendable)?] else {
            throw DossierError.validation([FieldError("/trainee", "must be an object")])
        }
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            let pointer = "/trainee/\(key)"
            switch key {
            case "expected_end_date": expectedEndDate = try MergePatch.field(value, pointer, as: String.self)
            case "training_year": trainingYear = try MergePatch.field(value, pointer, as: Int.self)
            case "site": site = try MergePatch.field(value, pointer, as: String.self)
            case "group_id": groupID = try MergePatch.field(value, pointer, as: String.self)
            case "status", "completed_at", "start_date": serverOwned.append(pointer)
            default: throw MergePatch.unknown(pointer)
            }
        }
    }
}
