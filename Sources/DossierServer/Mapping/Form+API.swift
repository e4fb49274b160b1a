import DossierAPI
import DossierCore
import Foundation
import OpenAPIRuntime

extension Components.Schemas.Form {
    init(_ form: Form) {
        self.init(
            key: form.key,
            title: form.title,
            purpose: .init(rawValue: form.purpose.rawValue) ?? .assessment,
            productionVersion: form.productionVersion,
            latestVersion: form.latestVersion,
            createdAt: form.createdAt,
            updatedAt: form.updatedAt
        )
    }
}

extension Components.Schemas.FormVersion {
    init(_ version: FormVersion) {
        self.init(
            formKey: version.formKey,
            version: version.version,
            status: .init(rawValue: version.status.rawValue) ?? .draft,
            definition: .init(version.definition),
            example: version.example,
            notes: version.notes,
            responseCount: version.responseCount,
            createdAt: version.createdAt,
            updatedAt: version.updatedAt
        )
    }
}

extension Components.Schemas.FormDefinition {
    init(_ definition: FormDefinition) {
        self.init(
            instructions: definition.instructions,
            questions: definition.questions.map { question in
                .init(
                    id: question.id,
                    kind: .init(rawValue: question.kind.rawValue) ?? .text,
                    label: question.label,
                    help: question.help,
                    required: question.required,
                    levels: question.levels.isEmpty
                        ? nil : question.levels.map { .init(value: Int32(clamping: $0.value), label: $0.label) },
                    options: question.options.isEmpty
                        ? nil : question.options.map { .init(value: $0.value, label: $0.label) },
                    competencies: question.competencies.isEmpty
                        ? nil : question.competencies.map { .init(value: $0.value, label: $0.label) },
                    maxLength: question.maxLength.map { Int32(clamping: $0) }
                )
            }
        )
    }
}

extension FormDefinition {
    init(_ definition: Components.Schemas.FormDefinition) {
        self.init(
            instructions: definition.instructions,
            questions: definition.questions.map { question in
                FormQuestion(
                    id: question.id,
                    kind: FormQuestion.Kind(rawValue: question.kind.rawValue) ?? .text,
                    label: question.label,
                    help: question.help,
                    required: question.required ?? false,
                    levels: (question.levels ?? []).map { .init(value: Int($0.value), label: $0.label) },
                    options: (question.options ?? []).map { .init(value: $0.value, label: $0.label) },
                    competencies: (question.competencies ?? []).map { .init(value: $0.value, label: $0.label) },
                    maxLength: question.maxLength.map(Int.init)
                )
            }
        )
    }
}

extension FormVersionPatch {
    /// Decodes a JSON Merge Patch of a draft: `definition` is checked against the contract's
    /// schema (unknown fields are a 400 there too), `notes` may be cleared with null.
    init(mergePatch container: OpenAPIValueContainer) throws(DossierError) {
        self.init()
        for (key, value) in try MergePatch.object(container) {
            let pointer = "/\(key)"
            switch key {
            case "definition":
                guard let value else { throw MergePatch.wrongType(pointer) }
                let schema = try FormAnswersMapping.decode(
                    Components.Schemas.FormDefinition.self,
                    from: value,
                    pointer: pointer
                )
                definition = FormDefinition(schema)
            case "notes":
                switch try MergePatch.field(value, pointer, as: String.self) {
                case .value(let text): notes = .some(text)
                case .null, .absent: notes = .some(nil)
                }
            default: throw MergePatch.unknown(pointer)
            }
        }
    }
}

/// Answers and other run-time shaped JSON cross the edge as JSON text, so the domain keeps
/// its own `JSONValue` and the generated containers stay at the edge.
enum FormAnswersMapping {
    static func answers(_ answers: Components.Schemas.FormAnswers) throws -> [String: JSONValue] {
        let data = try JSONEncoder().encode(answers.additionalProperties)
        return try JSONDecoder().decode([String: JSONValue].self, from: data)
    }

    static func api(_ answers: [String: JSONValue]) -> Components.Schemas.FormAnswers {
        let container = (try? JSONEncoder().encode(answers)).flatMap {
            try? JSONDecoder().decode(OpenAPIObjectContainer.self, from: $0)
        }
        return .init(additionalProperties: container ?? .init())
    }

    /// Decodes an untyped merge-patch member into a generated schema type; a mismatch is a 400
    /// naming the member.
    static func decode<T: Decodable>(
        _ type: T.Type,
        from value: any Sendable,
        pointer: String
    ) throws(DossierError)
        -> T
    {
        do {
            let data = try JSONEncoder().encode(OpenAPIValueContainer(unvalidatedValue: value))
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw MergePatch.wrongType(pointer)
        }
    }
}

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

extension Components.Schemas.ProgressRecord {
    init(_ record: ProgressRecord) {
        self.init(
            id: record.id.description,
            portfolioId: record.portfolioID.description,
            kind: .init(rawValue: record.kind.rawValue) ?? .review,
            formKey: record.formKey,
            formVersion: record.formVersion,
            isTest: record.isTest,
            heldOn: record.heldOn.description,
            answers: FormAnswersMapping.api(record.answers),
            summary: record.summary,
            authorId: record.authorID.description,
            amends: record.amends?.description,
            amendReason: record.amendReason,
            signed: record.isSigned,
            signedAt: record.signedAt,
            signedBy: record.signedBy?.description,
            createdAt: record.createdAt,
            updatedAt: record.updatedAt
        )
    }
}

extension ProgressReviewService.Patch {
    /// Decodes a JSON Merge Patch of an unsigned record; none of its fields can be cleared.
    init(mergePatch container: OpenAPIValueContainer) throws(DossierError) {
        self.init()
        for (key, value) in try MergePatch.object(container) {
            let pointer = "/\(key)"
            switch key {
            case "held_on":
                guard case .value(let text) = try MergePatch.field(value, pointer, as: String.self) else {
                    throw MergePatch.wrongType(pointer)
                }
                heldOn = text
            case "summary":
                guard case .value(let text) = try MergePatch.field(value, pointer, as: String.self) else {
                    throw MergePatch.wrongType(pointer)
                }
                summary = text
            case "answers":
                guard let value else { throw MergePatch.wrongType(pointer) }
                let schema = try FormAnswersMapping.decode(
                    Components.Schemas.FormAnswers.self,
                    from: value,
                    pointer: pointer
                )
                do { answers = try FormAnswersMapping.answers(schema) } catch { throw MergePatch.wrongType(pointer) }
            case "id", "portfolio_id", "kind", "form_key", "form_version", "is_test", "author_id", "amends",
                "amend_reason", "signed", "signed_at", "signed_by", "created_at", "updated_at":
                throw DossierError.validation([FieldError(pointer, "is set by the server")])
            default: throw MergePatch.unknown(pointer)
            }
        }
    }
}
