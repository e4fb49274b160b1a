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
