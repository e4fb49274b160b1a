import Foundation

/// A supervisor linked to a trainee for a period (`validUntil` nil: open-ended).
public struct Supervision: Sendable, Equatable {
    public let id: SupervisionID
    public let kind: SupervisionKind
    public let supervisorID: PersonID
    public let traineeID: PersonID
    public let validFrom: CalendarDate
    public let validUntil: CalendarDate?
    public let createdAt: Date
    public let updatedAt: Date

    public init(
        id: SupervisionID,
        kind: SupervisionKind,
        supervisorID: PersonID,
        traineeID: PersonID,
        validFrom: CalendarDate,
        validUntil: CalendarDate?,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.kind = kind
        self.supervisorID = supervisorID
        self.traineeID = traineeID
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Whether the period covers `day` (both ends inclusive).
    public func covers(_ day: CalendarDate) -> Bool {
        validFrom <= day && (validUntil.map { day <= $0 } ?? true)
    }
}
