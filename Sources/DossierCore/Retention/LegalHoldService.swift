import Foundation
import Logging

/// Legal holds: placed and released by admins with a reason, race-free against a deletion in
/// progress, and never deleting anything by being released.
public struct LegalHoldService: Sendable {
    private let database: Database
    private let clock: any WallClock
    private let logger: Logger
    private let holds = LegalHoldRepository()
    private let disposals = DisposalRepository()
    private let portfolios = PortfolioRepository()

    public init(database: Database, clock: any WallClock, logger: Logger) {
        self.database = database
        self.clock = clock
        self.logger = logger
    }

    public func place(_ input: LegalHoldInput, caller: Caller) async throws -> LegalHold {
        _ = try AccessPolicy.decide(.createLegalHold, caller: caller).rule(or: "legal hold")
        guard let admin = caller.personID else { throw DossierError.forbidden("Only a person can place a legal hold.") }
        let (scope, subject, reason, caseReference) = try input.validated()
        let hold = LegalHold(
            id: .generate(),
            scope: scope,
            subjectID: subject,
            reason: reason,
            caseReference: caseReference,
            placedBy: admin,
            placedAt: clock.now()
        )
        do {
            try await database.transaction { connection in
                try await holds.lockForPlacement(on: connection)
                switch scope {
                case .portfolio:
                    guard let subject,
                        let disposal = try await disposals.disposal(
                            of: Portfolio.ID(subject),
                            locking: true,
                            on: connection
                        )
                    else { throw DossierError.notFound("portfolio") }
                    if let run = disposal { throw Self.alreadyDisposed(by: run) }
                case .trainee:
                    guard let subject, try await disposals.traineeExists(subject, on: connection) else {
                        throw DossierError.notFound("trainee")
                    }
                    let portfolio = try await portfolios.tombstone(trainee: PersonID(subject), on: connection)
                    if let run = portfolio { throw Self.alreadyDisposed(by: run) }
                case .all:
                    break
                }
                try await holds.insert(hold, on: connection)
            }
        } catch let error where ConstraintViolation(error)?.kind == .unique {
            throw DossierError(
                .conflict,
                slug: .legalHoldExists,
                detail: "An active legal hold for this scope, subject and case reference exists already.",
                fieldErrors: [FieldError("/case_reference", "has an active hold on this subject already")]
            )
        }
        logger.info(
            "legal hold placed",
            metadata: ["hold_id": "\(hold.id)", "scope": "\(scope.rawValue)", "actor": "\(admin)"]
        )
        return hold
    }

    public func release(_ id: LegalHold.ID, reason: String, caller: Caller) async throws -> LegalHold {
        _ = try AccessPolicy.decide(.releaseLegalHold, caller: caller).rule(or: "legal hold")
        guard let admin = caller.personID else {
            throw DossierError.forbidden("Only a person can release a legal hold.")
        }
        var errors: [FieldError] = []
        guard let reason = RetentionText.required(reason, pointer: "/reason", maximum: 2000, into: &errors) else {
            throw DossierError.validation(errors)
        }
        let now = clock.now()
        let released = try await database.transaction { connection in
            guard try await holds.find(id, on: connection) != nil else { throw DossierError.notFound("legal hold") }
            guard try await holds.release(id, by: admin, reason: reason, at: now, on: connection) else {
                throw DossierError(
                    .conflict,
                    slug: .legalHoldReleased,
                    detail: "This legal hold was released already; place a new one if the case needs it again."
                )
            }
            return try await holds.find(id, on: connection)
        }
        guard let released else { throw DossierError.notFound("legal hold") }
        logger.info("legal hold released", metadata: ["hold_id": "\(id)", "actor": "\(admin)"])
        return released
    }

    public func get(_ id: LegalHold.ID, caller: Caller) async throws -> LegalHold {
        _ = try AccessPolicy.decide(.getLegalHold, caller: caller).rule(or: "legal hold")
        guard let hold = try await database.read({ try await holds.find(id, on: $0) }) else {
            throw DossierError.notFound("legal hold")
        }
        return hold
    }

    public func list(active: Bool?, page: PageRequest, caller: Caller) async throws -> Page<LegalHold> {
        _ = try AccessPolicy.decide(.listLegalHolds, caller: caller).rule(or: "legal hold")
        return try await database.read { connection in
            Page(
                fetched: try await holds.list(active: active, after: page.after, limit: page.limit + 1, on: connection),
                limit: page.limit
            ) { $0.id.uuid }
        }
    }

    /// A hold cannot bring back what is gone; the 409 names the run so the disposal is never hidden.
    static func alreadyDisposed(by run: RetentionRun.ID) -> DossierError {
        DossierError(
            .conflict,
            slug: .alreadyDisposed,
            detail: "This portfolio was disposed of by retention run \(run); its certificate proves what was deleted.",
            extensions: [
                "disposed_by_run": run.uuid.lowercasedString,
                "certificate": "/v1/admin/retention/runs/\(run.uuid.lowercasedString)/certificate",
            ]
        )
    }
}
