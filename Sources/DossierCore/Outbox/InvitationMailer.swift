import Foundation

/// Puts an assessment invitation in the outbox, rendered, in the transaction that makes the
/// invitation: the link exists in the mail only, and the mail exists if and only if the
/// invitation does.
public struct InvitationMailer: Sendable {
    public let renderer: any MailRendering
    public let baseURL: String
    public let messageDomain: String
    private let outbox = OutboxRepository()

    public init(renderer: any MailRendering, baseURL: String, messageDomain: String) {
        self.renderer = renderer
        self.baseURL = baseURL
        self.messageDomain = messageDomain
    }

    func queue(_ mail: InvitationMail, key: String, at now: Date, on connection: DatabaseConnection) async throws {
        let messageID = "<\(UUID().uuidString.lowercased())@\(messageDomain)>"
        let rendered = try renderer.invitation(mail, messageID: messageID, date: now)
        try await outbox.insert(
            NewMail(
                key: key,
                kind: .assessmentInvitation,
                personID: nil,
                toAddress: mail.email,
                messageID: messageID,
                message: rendered.bytes
            ),
            at: now,
            on: connection
        )
        try await JobQueue().wake(.mail, on: connection)
    }
}

/// The shape of an address a message can carry, checked when it is given: one `@`, a dotted
/// domain, no spaces or control characters, at most 254 octets.
public enum EmailAddress {
    public static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return (3...254).contains(text.utf8.count) && parts.count == 2 && !parts[0].isEmpty
            && parts[1].contains(".") && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
            && text.unicodeScalars.allSatisfy {
                $0.value > 0x20 && $0.value != 0x7F && !"<>()[],;:\\\"".unicodeScalars.contains($0)
            }
    }
}
