import DossierAPI
import DossierCore
import Foundation
import OpenAPIRuntime

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
