import Foundation

/// A legal hold: while active, nothing it covers is hidden or purged, whatever its due date.
public struct LegalHold: Sendable, Equatable {
    public enum Entity {}
    public typealias ID = Identifier<Entity>

    public enum Scope: String, Sendable, CaseIterable {
        case portfolio, trainee, all
    }

    public let id: ID
    public let scope: Scope
    /// The portfolio or trainee it covers; nil for `all`.
    public let subjectID: UUID?
    public let reason: String
    public let caseReference: String
    public let placedBy: PersonID
    public let placedAt: Date
    public var releasedBy: PersonID?
    public var releasedAt: Date?
    public var releaseReason: String?

    public init(
        id: ID,
        scope: Scope,
        subjectID: UUID?,
        reason: String,
        caseReference: String,
        placedBy: PersonID,
        placedAt: Date,
        releasedBy: PersonID? = nil,
        releasedAt: Date? = nil,
        releaseReason: String? = nil
    ) {
        self.id = id
        self.scope = scope
        self.subjectID = subjectID
        self.reason = reason
        self.caseReference = caseReference
        self.placedBy = placedBy
        self.placedAt = placedAt
        self.releasedBy = releasedBy
        self.releasedAt = releasedAt
        self.releaseReason = releaseReason
    }

    public var isActive: Bool { releasedAt == nil }

    /// Whether this hold keeps the portfolio `portfolio` of trainee `trainee`.
    public func covers(portfolio: Portfolio.ID, trainee: PersonID) -> Bool {
        guard isActive else { return false }
        switch scope {
        case .all: return true
        case .portfolio: return subjectID == portfolio.uuid
        case .trainee: return subjectID == trainee.uuid
        }
    }

    /// The first active hold of `holds` that keeps the portfolio, if any.
    public static func first(
        of holds: [LegalHold],
        covering portfolio: Portfolio.ID,
        trainee: PersonID
    ) -> LegalHold? {
        holds.first { $0.covers(portfolio: portfolio, trainee: trainee) }
    }
}

/// A hold as an admin asks for it, checked field by field.
public struct LegalHoldInput: Sendable {
    public var scope: String
    public var subjectID: String?
    public var reason: String
    public var caseReference: String

    public init(scope: String, subjectID: String?, reason: String, caseReference: String) {
        self.scope = scope
        self.subjectID = subjectID
        self.reason = reason
        self.caseReference = caseReference
    }

    func validated() throws(DossierError) -> (LegalHold.Scope, UUID?, String, String) {
        var errors: [FieldError] = []
        let scope = LegalHold.Scope(rawValue: scope)
        if scope == nil { errors.append(FieldError("/scope", "must be portfolio, trainee or all")) }
        var subject: UUID?
        switch (scope, subjectID) {
        case (.all, .some):
            errors.append(FieldError("/subject_id", "must be absent for a hold on everything"))
        case (.portfolio, nil), (.trainee, nil):
            errors.append(FieldError("/subject_id", "is required for a hold on a portfolio or trainee"))
        case (_, .some(let text)):
            subject = UUID(uuidString: text)
            if subject == nil { errors.append(FieldError("/subject_id", "must be a UUID")) }
        default:
            break
        }
        let reason = RetentionText.required(reason, pointer: "/reason", maximum: 2000, into: &errors)
        let caseReference = RetentionText.required(
            caseReference,
            pointer: "/case_reference",
            maximum: 200,
            into: &errors
        )
        guard errors.isEmpty, let scope, let reason, let caseReference else { throw DossierError.validation(errors) }
        return (scope, subject, reason, caseReference)
    }
}

/// Free-text fields of retention requests (reasons, case references): trimmed, never empty.
enum RetentionText {
    static func required(
        _ text: String,
        pointer: String,
        maximum: Int,
        into errors: inout [FieldError]
    ) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            errors.append(FieldError(pointer, "must not be empty"))
            return nil
        }
        if trimmed.count > maximum {
            errors.append(FieldError(pointer, "must be at most \(maximum) characters"))
            return nil
        }
        return trimmed
    }
}
