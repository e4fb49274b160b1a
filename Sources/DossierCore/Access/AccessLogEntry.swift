import Foundation

/// NEN 7513 event kinds: create, read, update, delete, export.
public enum AccessAction: String, Sendable, CaseIterable {
    case create = "C"
    case read = "R"
    case update = "U"
    case delete = "D"
    case export = "E"
}

public enum AccessLogEntity {}
public typealias AccessLogEntryID = Identifier<AccessLogEntity>

/// One access to a person's dossier data by someone else: identifiers only, never content.
public struct AccessLogEntry: Sendable, Equatable {
    public let id: AccessLogEntryID
    public let occurredAt: Date
    public let action: AccessAction
    public let actorPersonID: PersonID?
    public let serviceClientID: ServiceClientID?
    public let tokenID: TokenID?
    public let role: String
    public let clientIP: String?
    public let subjectID: PersonID
    public let resourceType: String
    public let resourceID: UUID?
    public let rule: String
    public let reason: String?
    public let requestID: String

    public init(
        id: AccessLogEntryID,
        occurredAt: Date,
        action: AccessAction,
        actorPersonID: PersonID?,
        serviceClientID: ServiceClientID?,
        tokenID: TokenID?,
        role: String,
        clientIP: String?,
        subjectID: PersonID,
        resourceType: String,
        resourceID: UUID?,
        rule: String,
        reason: String?,
        requestID: String
    ) {
        self.id = id
        self.occurredAt = occurredAt
        self.action = action
        self.actorPersonID = actorPersonID
        self.serviceClientID = serviceClientID
        self.tokenID = tokenID
        self.role = role
        self.clientIP = clientIP
        self.subjectID = subjectID
        self.resourceType = resourceType
        self.resourceID = resourceID
        self.rule = rule
        self.reason = reason
        self.requestID = requestID
    }

    /// Rows for `caller` touching `subjects`, all sharing one event time; a subject that is the
    /// caller themself gets no row (one's own data is not "someone else's dossier"). Without a
    /// reason of its own, a row keeps the reason the caller stated for the request.
    public static func entries(
        _ action: AccessAction,
        by caller: Caller,
        subjects: [(subject: PersonID, resourceID: UUID?)],
        resourceType: String,
        rule: String,
        reason: String? = nil,
        at now: Date
    ) -> [AccessLogEntry] {
        subjects.filter { $0.subject != caller.personID }.map { subject, resourceID in
            AccessLogEntry(
                id: .generate(),
                occurredAt: now,
                action: action,
                actorPersonID: caller.personID,
                serviceClientID: caller.serviceClientID,
                tokenID: caller.tokenID,
                role: String(rule.split(separator: ":").first ?? Substring(rule)),
                clientIP: caller.clientIP,
                subjectID: subject,
                resourceType: resourceType,
                resourceID: resourceID,
                rule: rule,
                reason: reason ?? caller.accessReason,
                requestID: caller.requestID
            )
        }
    }
}
