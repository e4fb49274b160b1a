import DossierAPI
import DossierCore

extension JSONWriter {
    /// The `EntryList` schema: the entries of a page and, unless it is the last, `next_cursor`.
    static func entryList(_ entries: [Entry], nextCursor: String?) -> [UInt8] {
        // ~700 bytes of text per entry in a typical portfolio, plus the keys around it.
        var writer = JSONWriter(capacity: 256 + entries.count * 1_200)
        writer.object { list in
            list.key("items")
            list.array(entries) { $0.entry($1) }
            if let nextCursor {
                list.key("next_cursor")
                list.string(nextCursor)
            }
        }
        return writer.bytes
    }

    /// The `Entry` schema, keys in byte order.
    mutating func entry(_ entry: Entry) {
        object { json in
            json.key("activities")
            json.strings(entry.activities)
            json.key("body")
            json.string(entry.body)
            json.key("comments")
            json.array(entry.comments) { json, comment in
                json.object { json in
                    json.key("author_id")
                    json.string(comment.authorID.description)
                    json.key("body")
                    json.string(comment.body)
                    json.key("created_at")
                    json.date(comment.createdAt)
                    json.key("id")
                    json.string(comment.id.description)
                }
            }
            json.key("created_at")
            json.date(entry.createdAt)
            json.key("id")
            json.string(entry.id.description)
            json.key("kind")
            // As the generated mapping does: a kind the contract does not list is `other`.
            json.string((Components.Schemas.Entry.KindPayload(rawValue: entry.kind.rawValue) ?? .other).rawValue)
            json.key("portfolio_id")
            json.string(entry.portfolioID.description)
            json.key("shared")
            json.bool(entry.shared)
            json.key("tags")
            json.strings(entry.tags)
            json.key("title")
            json.string(entry.title)
            json.key("updated_at")
            json.date(entry.updatedAt)
        }
    }
}
