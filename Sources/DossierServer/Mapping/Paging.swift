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

    /// The next page's cursor, or nil on the last page; sets the RFC 8288 `Link` to it: the
    /// request's own path and query, as the client sent them, with only the cursor swapped.
    func next<Item>(_ page: Page<Item>) -> String? {
        guard let cursor = page.nextAfter.map(cursors.encode) else { return nil }
        let parts = RequestScope.target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = parts.first.map(String.init) ?? ""
        var items = (parts.count > 1 ? parts[1].split(separator: "&").map(String.init) : [])
            .filter { !$0.hasPrefix("cursor=") && $0 != "cursor" }
        items.append("cursor=\(cursor)")
        items.sort { $0.prefix { $0 != "=" } < $1.prefix { $0 != "=" } }
        ResponseHeaderSink.current?.set(
            .link,
            "<\(publicBaseURL)\(path)?\(items.joined(separator: "&"))>; rel=\"next\""
        )
        return cursor
    }
}
