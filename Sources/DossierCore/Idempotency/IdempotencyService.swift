import Crypto
import Foundation
import Logging

/// An `Idempotency-Key` scoped to the caller, the method and the path.
public struct IdempotencyKey: Sendable, Equatable {
    /// Keys are honoured for 24 hours; after that the same key starts afresh.
    public static let lifetime: TimeInterval = 24 * 3600

    public let principal: String
    public let method: String
    public let path: String
    public let value: String

    /// 1-255 visible ASCII characters, or a 400 naming the header.
    public init(principal: String, method: String, path: String, value: String) throws(DossierError) {
        guard (1...255).contains(value.utf8.count), value.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw DossierError(
                .badRequest,
                slug: .invalidIdempotencyKey,
                detail: "Idempotency-Key must be 1-255 visible ASCII characters (a UUID is a good choice).",
                fieldErrors: [FieldError("#/header/Idempotency-Key", "must be 1-255 visible ASCII characters")]
            )
        }
        self.principal = principal
        self.method = method
        self.path = path
        self.value = value
    }
}

/// Safe retries of creating POSTs: the first response to a key is stored and replayed; another
/// body under the same key is refused; a request still in flight with it is a conflict.
public struct IdempotencyService: Sendable {
    public enum Start: Sendable, Equatable {
        /// Go ahead; call `finish` or `abandon` afterwards.
        case proceed
        /// The stored first response.
        case replay(status: Int, headers: [String: String], body: [UInt8])
    }

    private let database: Database
    private let clock: any WallClock
    private let keys = IdempotencyRepository()

    public init(database: Database, clock: any WallClock) {
        self.database = database
        self.clock = clock
    }

    public static func hash(method: String, path: String, body: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: Data("\(method) \(path)\n".utf8))
        hasher.update(data: body)
        return Array(hasher.finalize())
    }

    public func start(_ key: IdempotencyKey, requestHash: [UInt8]) async throws -> Start {
        let now = clock.now()
        return try await database.transaction { connection in
            if try await keys.claim(key, requestHash: requestHash, now: now, on: connection) { return .proceed }
            guard let record = try await keys.find(key, on: connection) else { return .proceed }
            guard record.requestHash == requestHash else {
                throw DossierError(
                    .validation,
                    slug: .idempotencyKeyReused,
                    detail: "This Idempotency-Key was used with another request body; use a new key for a new request.",
                    fieldErrors: [FieldError("#/header/Idempotency-Key", "was used with another body")]
                )
            }
            guard let status = record.status else {
                throw DossierError(
                    .conflict,
                    slug: .idempotencyKeyInFlight,
                    detail: "A request with this Idempotency-Key is still being processed; retry when it has finished."
                )
            }
            if record.withheld {
                throw DossierError(
                    .conflict,
                    slug: .idempotencyKeyNotReplayable,
                    detail:
                        "The first response to this Idempotency-Key carried a secret and is never stored; it cannot be replayed."
                )
            }
            return .replay(status: status, headers: record.headers, body: record.body)
        }
    }

    /// Stores the response for replay; `body` nil withholds it (the response carried a secret).
    public func finish(_ key: IdempotencyKey, status: Int, headers: [String: String], body: [UInt8]?) async throws {
        try await database.read { try await keys.complete(key, status: status, headers: headers, body: body, on: $0) }
    }

    /// Forgets a key whose request failed, so the client can retry with it.
    public func abandon(_ key: IdempotencyKey) async throws {
        try await database.read { try await keys.release(key, on: $0) }
    }
}
