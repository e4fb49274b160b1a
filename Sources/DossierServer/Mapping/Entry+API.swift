import DossierAPI
import DossierCore
import OpenAPIRuntime

extension Components.Schemas.Entry {
    init(_ entry: Entry) {
        self.init(
            id: entry.id.description,
            portfolioId: entry.portfolioID.description,
            kind: .init(rawValue: entry.kind.rawValue) ?? .other,
            title: entry.title,
            body: entry.body,
            tags: entry.tags,
            activities: entry.activities,
            shared: entry.shared,
            comments: entry.comments.map {
                .init(id: $0.id.description, authorId: $0.authorID.description, body: $0.body, createdAt: $0.createdAt)
            },
            createdAt: entry.createdAt,
            updatedAt: entry.updatedAt
        )
    }
}

extension EntryPatch {
    /// Decodes a JSON Merge Patch of an entry by hand (see `MergePatch`).
    init(mergePatch container: OpenAPIRuntime.OpenAPIValueContainer) throws(DossierError) {
        self.init()
        for (key, value) in try MergePatch.object(container) {
            let pointer = "/\(key)"
            switch key {
            case "kind": kind = try MergePatch.field(value, pointer, as: String.self)
            case "title": title = try MergePatch.field(value, pointer, as: String.self)
            case "body": body = try MergePatch.field(value, pointer, as: String.self)
            case "tags": tags = try MergePatch.field(value, pointer, as: [String].self)
            case "activities": activities = try MergePatch.field(value, pointer, as: [String].self)
            case "shared": shared = try MergePatch.field(value, pointer, as: Bool.self)
            case "id", "portfolio_id", "comments", "created_at", "updated_at", "version": serverOwned.append(pointer)
            default: throw MergePatch.unknown(pointer)
            }
        }
    }
}
