import Foundation

/// What one person's digest says: sections of items that need them, each with where to act.
/// Identifiers, titles and dates only; never portfolio content or another person's answers.
public struct DigestContent: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public let text: String
        /// Where to act: the API resource or the personal response link.
        public let link: String?

        public init(_ text: String, link: String? = nil) {
            self.text = text
            self.link = link
        }
    }

    public struct Section: Sendable, Equatable {
        public let key: String
        public let title: String
        public let items: [Item]

        public init(key: String, title: String, items: [Item]) {
            self.key = key
            self.title = title
            self.items = items
        }
    }

    public let person: PersonID
    public let name: String
    public let email: String
    public let frequency: DigestPreferences.Frequency
    public let period: DigestPeriod
    public let sections: [Section]
    public let unsubscribeURL: String
    public let preferencesURL: String

    public var isEmpty: Bool { sections.allSatisfy(\.items.isEmpty) }
    public var itemCount: Int { sections.reduce(0) { $0 + $1.items.count } }
}

/// A download window about to close: the notice a trainee gets 30 and 7 days before.
public struct DownloadNotice: Sendable, Equatable {
    public enum Milestone: String, Sendable, CaseIterable {
        case thirtyDays = "T-30"
        case sevenDays = "T-7"
    }

    public let person: PersonID
    public let portfolio: UUID
    public let name: String
    public let email: String
    public let milestone: Milestone
    /// The last day the export can be downloaded, in the institute's calendar.
    public let lastDay: CalendarDate
    public let exportURL: String
}

/// An invitation to give feedback on a trainee, mailed to the address the trainee gave.
public struct InvitationMail: Sendable, Equatable {
    public let email: String
    public let traineeName: String
    public let instrument: String
    public let link: String
    public let expiresOn: CalendarDate
}

/// A rendered message: what a person would read, and the bytes that go over SMTP.
public struct RenderedMail: Sendable, Equatable {
    public let subject: String
    public let text: String
    public let html: String
    public let bytes: [UInt8]

    public init(subject: String, text: String, html: String, bytes: [UInt8]) {
        self.subject = subject
        self.text = text
        self.html = html
        self.bytes = bytes
    }
}

/// Turns what Core gathered into mail; the worker's edge implements it with templates and MIME,
/// so Core decides what is said and to whom, never how it looks on the wire.
public protocol MailRendering: Sendable {
    func digest(_ digest: DigestContent, messageID: String, date: Date) throws -> RenderedMail
    func downloadNotice(_ notice: DownloadNotice, messageID: String, date: Date) throws -> RenderedMail
    func invitation(_ invitation: InvitationMail, messageID: String, date: Date) throws -> RenderedMail
}
