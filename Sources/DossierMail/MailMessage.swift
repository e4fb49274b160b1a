import Foundation

/// An address as it goes into a header and the SMTP envelope: one `@`, no spaces, no control
/// characters and no angle brackets, so that neither a header nor a command can be split by it.
public struct MailAddress: Sendable, Equatable {
    public let address: String
    public let displayName: String?

    public init?(_ address: String, displayName: String? = nil) {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard (3...254).contains(address.utf8.count), parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            address.unicodeScalars.allSatisfy({
                $0.value > 0x20 && $0.value != 0x7F && !"<>()[],;:\\\"".unicodeScalars.contains($0)
            })
        else { return nil }
        self.address = address
        self.displayName = displayName.map { $0.filter { !$0.isNewline } }
    }
}

/// One message, everything that decides its bytes: composing the same message twice gives the
/// same bytes, so a retry sends what the first attempt sent and an audit can compare them.
public struct MailMessage: Sendable, Equatable {
    public var from: MailAddress
    public var to: MailAddress
    public var subject: String
    public var text: String
    public var html: String
    /// `<unique@domain>`, fixed once per message and kept with it, so retries reuse it.
    public var messageID: String
    public var date: Date
    /// The one-click unsubscribe URL (RFC 8058): `List-Unsubscribe` and `List-Unsubscribe-Post`.
    public var unsubscribeURL: String?

    public init(
        from: MailAddress,
        to: MailAddress,
        subject: String,
        text: String,
        html: String,
        messageID: String,
        date: Date,
        unsubscribeURL: String? = nil
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.messageID = messageID
        self.date = date
        self.unsubscribeURL = unsubscribeURL
    }
}
