import DossierCore
import Foundation

/// Turns list query parameters into a page request and a page into `next_cursor` and `Link`.
struct Paging: Sendable {
    let cursors: CursorCodec
    let publicBaseURL: String

    func request(limit: Int32?, cursor: String?) throws(DossierError) -> PageRequest {
        try PageRequest(
            limit: limit.map(Int.init),
            after: try cursor.map { (text) throws(DossierError) in try cursors.decode(text) }
        )
    }

    func nextCursor<Item>(_ page: Page<Item>) -> String? {
        page.nextAfter.map(cursors.encode)
    }

    /// Sets the RFC 8288 `Link` to the next page: the current path and query with the new cursor.
    func link<Item>(_ page: Page<Item>, path: String, query: [String: String?]) {
        guard let cursor = nextCursor(page) else { return }
        var components = URLComponents()
        components.path = path
        var items = query.compactMap { key, value in value.map { URLQueryItem(name: key, value: $0) } }
        items.append(URLQueryItem(name: "cursor", value: cursor))
        components.queryItems = items.sorted { $0.name < $1.name }
        ResponseHeaderSink.current?.set(.link, "<\(publicBaseURL)\(components.string ?? path)>; rel=\"next\"")
    }
}
