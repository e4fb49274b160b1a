import DossierAPI
import DossierCore

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
