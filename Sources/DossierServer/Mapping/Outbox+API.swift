import DossierAPI
import DossierCore

extension Components.Schemas.OutboxMail {
    init(_ mail: OutboxRecord) {
        self.init(
            id: mail.id,
            key: mail.key,
            kind: .init(rawValue: mail.kind.rawValue) ?? .digest,
            personId: mail.personID?.description,
            status: .init(rawValue: mail.status.rawValue) ?? .pending,
            attempts: mail.attempts,
            maxAttempts: mail.maxAttempts,
            nextAttemptAt: mail.nextAttemptAt,
            lastError: mail.lastError,
            smtpReply: mail.smtpReply,
            messageId: mail.messageID,
            createdAt: mail.createdAt,
            sentAt: mail.sentAt
        )
    }
}
