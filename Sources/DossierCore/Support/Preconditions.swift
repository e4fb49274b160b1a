import Foundation

/// Optimistic concurrency for writes: the client names the state it changes (`If-Match`).
public enum Preconditions {
    public static func check(ifMatch: String?, etag: String) throws(DossierError) {
        guard let ifMatch else {
            throw DossierError(
                .preconditionRequired,
                slug: "precondition-required",
                detail: "Send If-Match with the ETag of your last GET, so that changes by others are not overwritten."
            )
        }
        let candidates = ifMatch.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard candidates.contains(etag) || candidates.contains("*") else { throw stale }
    }

    public static let stale = DossierError(
        .preconditionFailed,
        slug: "precondition-failed",
        detail: "The resource changed since your ETag; GET it again, re-apply your change and retry."
    )
}
