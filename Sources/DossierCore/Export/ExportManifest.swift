import Foundation

/// `manifest.json`: the export for machines, in the shape documented as `ExportManifest` in
/// openapi.yaml. `schemaVersion` changes only when a field changes meaning or disappears.
public enum ExportManifest {
    public static let schemaVersion = 1

    public static func json(_ export: PortfolioExport) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return (try? encoder.encode(document(export))).map(Array.init) ?? []
    }

    static func document(_ export: PortfolioExport) -> JSONValue {
        let portfolio = export.portfolio
        let today = CalendarDate(export.exportedAt)
        var portfolioObject: [String: JSONValue] = [
            "id": .string(portfolio.id.description),
            "trainee_id": .string(portfolio.traineeID.description),
            "status": .string(portfolio.status(on: today).rawValue),
            "policy": .object([
                "id": .string(portfolio.policy.id), "version": .number(Double(portfolio.policy.version)),
            ]),
            "created_at": timestamp(portfolio.createdAt),
        ]
        if let completed = portfolio.completedAt { portfolioObject["completed_at"] = .string(completed.description) }
        if let windows = portfolio.windows {
            portfolioObject["download_until"] = .string(windows.downloadUntil.description)
            portfolioObject["delete_after"] = .string(windows.deleteAfter.description)
        }
        let files = Dictionary(grouping: export.attachments, by: \.entryID)
        return .object([
            "schema_version": .number(Double(schemaVersion)),
            "exported_at": timestamp(export.exportedAt),
            "portfolio": .object(portfolioObject),
            "trainee": .object(["id": .string(portfolio.traineeID.description), "name": .string(export.traineeName)]),
            "entries": .array(export.entries.map { entry($0, files[$0.id] ?? []) }),
            "assessments": .array(export.assessments.map(assessment)),
            "progress_records": .array(export.records.map(record)),
            "forms": .array(export.forms.map(form)),
        ])
    }

    private static func entry(_ entry: Entry, _ files: [Attachment]) -> JSONValue {
        .object([
            "id": .string(entry.id.description),
            "portfolio_id": .string(entry.portfolioID.description),
            "kind": .string(entry.kind.rawValue),
            "title": .string(entry.title),
            "body": .string(entry.body),
            "tags": .array(entry.tags.map(JSONValue.string)),
            "activities": .array(entry.activities.map(JSONValue.string)),
            "shared": .bool(entry.shared),
            "comments": .array(
                entry.comments.map {
                    .object([
                        "id": .string($0.id.description), "author_id": .string($0.authorID.description),
                        "body": .string($0.body), "created_at": timestamp($0.createdAt),
                    ])
                }
            ),
            "attachments": .array(
                files.map {
                    .object([
                        "id": .string($0.id.description), "file_name": .string($0.fileName),
                        "media_type": .string($0.type.rawValue), "size": .number(Double($0.size)),
                        "sha256": .string($0.sha256Hex), "crc32": .number(Double($0.crc32)),
                        "path": .string(PortfolioExport.path(of: $0)), "created_at": timestamp($0.createdAt),
                    ])
                }
            ),
            "created_at": timestamp(entry.createdAt),
            "updated_at": timestamp(entry.updatedAt),
        ])
    }

    private static func assessment(_ assessment: Assessment) -> JSONValue {
        var assessor: [String: JSONValue] = [
            "name": .string(assessment.assessor.name), "role": .string(assessment.assessor.role),
        ]
        if let person = assessment.assessor.personID { assessor["person_id"] = .string(person.description) }
        if let invitation = assessment.assessor.invitationID {
            assessor["invitation_id"] = .string(invitation.description)
        }
        return .object([
            "id": .string(assessment.id.description),
            "portfolio_id": .string(assessment.portfolioID.description),
            "instrument": .string(assessment.instrument),
            "form_version": .number(Double(assessment.formVersion)),
            "is_test": .bool(assessment.isTest),
            "assessor": .object(assessor),
            "answers": .object(assessment.answers),
            "narrative": .string(assessment.narrative),
            "assessed_on": .string(assessment.assessedOn.description),
            "created_at": timestamp(assessment.createdAt),
        ])
    }

    private static func record(_ record: ProgressRecord) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(record.id.description),
            "portfolio_id": .string(record.portfolioID.description),
            "kind": .string(record.kind.rawValue),
            "form_key": .string(record.formKey),
            "form_version": .number(Double(record.formVersion)),
            "is_test": .bool(record.isTest),
            "held_on": .string(record.heldOn.description),
            "answers": .object(record.answers),
            "summary": .string(record.summary),
            "author_id": .string(record.authorID.description),
            "signed": .bool(record.isSigned),
            "created_at": timestamp(record.createdAt),
            "updated_at": timestamp(record.updatedAt),
        ]
        if let amends = record.amends { object["amends"] = .string(amends.description) }
        if let reason = record.amendReason { object["amend_reason"] = .string(reason) }
        if let signedAt = record.signedAt { object["signed_at"] = timestamp(signedAt) }
        if let signedBy = record.signedBy { object["signed_by"] = .string(signedBy.description) }
        return .object(object)
    }

    private static func form(_ version: FormVersion) -> JSONValue {
        let encoder = JSONEncoder()
        let definition = (try? encoder.encode(version.definition)).flatMap {
            try? JSONDecoder().decode(JSONValue.self, from: $0)
        }
        var object: [String: JSONValue] = [
            "form_key": .string(version.formKey),
            "version": .number(Double(version.version)),
            "status": .string(version.status.rawValue),
            "definition": definition ?? .null,
            "example": .bool(version.example),
            "response_count": .number(Double(version.responseCount)),
            "created_at": timestamp(version.createdAt),
            "updated_at": timestamp(version.updatedAt),
        ]
        if let notes = version.notes { object["notes"] = .string(notes) }
        return .object(object)
    }

    private static func timestamp(_ date: Date) -> JSONValue {
        .string(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }
}
