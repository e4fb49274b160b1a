import Foundation

/// Optimistic concurrency for writes: the client names the state it changes (`If-Match`).
public enum Preconditions {
    public static func check(ifMatch: String?, etag: String) throws(DossierError) {
        guard let ifMatch else {
            throw DossierError(
                .preconditionRequired,
                slug: .preconditionRequired,
                detail: "Send If-Match with the ETag of your last GET, so that changes by others are not overwritten."
            )
        }
        let candidates = ifMatch.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        // `*` matches any state, so it would overwrite what others changed: the guard the ETag is for.
        guard !candidates.contains("*") else {
            throw DossierError(
                .preconditionRequired,
                slug: .preconditionRequired,
                detail:
                    "If-Match: * is not accepted; send the ETag of your last GET, so that changes by others are not overwritten."
            )
        }
        guard candidates.contains(etag) else { throw stale }
    }

    public static let stale = DossierError(
        .preconditionFailed,
        slug: .preconditionFailed,
        detail: "The resource changed since your ETag; GET it again, re-apply your change and retry."
    )
}
