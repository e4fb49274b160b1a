import HTTPTypes
import Synchronization

/// Response headers a handler sets verbatim. The OpenAPI runtime percent-encodes header values
/// it serialises, which breaks `Link` (`<...>; rel="next"`) and quoted `ETag`s, so handlers put
/// those here and the request middleware copies them onto the response unchanged.
final class ResponseHeaderSink: Sendable {
    private let fields = Mutex(HTTPFields())

    func set(_ name: HTTPField.Name, _ value: String?) {
        guard let value else { return }
        fields.withLock { $0[name] = value }
    }

    var snapshot: HTTPFields { fields.withLock { $0 } }

    func apply(to headers: inout HTTPFields) {
        for field in fields.withLock({ $0 }) { headers[field.name] = field.value }
    }

    @TaskLocal static var current: ResponseHeaderSink?
}

extension HTTPField.Name {
    static let link = HTTPField.Name("Link")!
}
