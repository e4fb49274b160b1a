import DossierCore
import DossierMail
import Foundation
import Mustache

/// Renders Core's mail with the mustache templates in `Templates/` (or `MAIL_TEMPLATES_DIR`, for
/// an institute's own wording) and composes the RFC 5322 bytes. The same renderer serves the
/// worker, which sends, and the preview, which shows exactly what would be sent.
public struct MailRenderer: MailRendering {
    public enum RenderError: Error, CustomStringConvertible {
        case missingTemplate(String)
        case badAddress

        public var description: String {
            switch self {
            case .missingTemplate(let name): "the mail template \(name).mustache is missing"
            case .badAddress: "the recipient's e-mail address cannot be used in a message"
            }
        }
    }

    private let library: MustacheLibrary
    private let from: MailAddress

    /// The templates that ship with this build.
    public static var bundledTemplates: String {
        Bundle.module.bundleURL.appendingPathComponent("Templates").path
    }

    static let required = [
        "digest.subject", "digest.text", "digest.html", "download-notice.subject", "download-notice.text",
        "download-notice.html", "invitation.subject", "invitation.text", "invitation.html", "unsubscribe.html",
    ]

    /// Loads every template once; a missing or broken one stops the process at start, not at the
    /// first mail.
    public init(from: MailAddress, templates directory: String = MailRenderer.bundledTemplates) throws {
        var library = MustacheLibrary()
        for name in Self.required {
            let path = URL(fileURLWithPath: directory).appendingPathComponent("\(name).mustache").path
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
            else { throw RenderError.missingTemplate(name) }
            try library.register(text, named: name)
        }
        self.library = library
        self.from = from
    }

    public func digest(_ digest: DigestContent, messageID: String, date: Date) throws -> RenderedMail {
        let context: [String: Any] = [
            "name": digest.name,
            "daily": digest.frequency == .daily,
            "period": digest.period.key,
            "count": digest.itemCount,
            "one": digest.itemCount == 1,
            "sections": digest.sections.filter { !$0.items.isEmpty }.map { section in
                [
                    "title": section.title,
                    "items": section.items.map { item -> [String: Any] in
                        var fields: [String: Any] = ["text": item.text]
                        if let link = item.link { fields["link"] = link }
                        return fields
                    },
                ] as [String: Any]
            },
            "unsubscribe_url": digest.unsubscribeURL,
            "preferences_url": digest.preferencesURL,
        ]
        return try compose(
            "digest",
            context,
            to: digest.email,
            name: digest.name,
            messageID: messageID,
            date: date,
            unsubscribeURL: digest.unsubscribeURL
        )
    }

    public func downloadNotice(_ notice: DownloadNotice, messageID: String, date: Date) throws -> RenderedMail {
        let days = CalendarDate(date).days(until: notice.lastDay)
        let context: [String: Any] = [
            "name": notice.name,
            "last_day": notice.lastDay.description,
            "days": max(days, 0),
            "export_url": notice.exportURL,
        ]
        return try compose(
            "download-notice",
            context,
            to: notice.email,
            name: notice.name,
            messageID: messageID,
            date: date
        )
    }

    public func invitation(_ invitation: InvitationMail, messageID: String, date: Date) throws -> RenderedMail {
        let context: [String: Any] = [
            "trainee": invitation.traineeName,
            "instrument": invitation.instrument,
            "link": invitation.link,
            "expires_on": invitation.expiresOn.description,
        ]
        return try compose(
            "invitation",
            context,
            to: invitation.email,
            name: nil,
            messageID: messageID,
            date: date
        )
    }

    /// The page behind the unsubscribe link: a button that posts, since a GET must not
    /// unsubscribe (mail scanners follow links), or the confirmation after the post.
    public func unsubscribePage(action: String, done: Bool) throws -> String {
        try render("unsubscribe.html", ["action": action, "done": done])
    }

    private func compose(
        _ template: String,
        _ context: [String: Any],
        to address: String,
        name: String?,
        messageID: String,
        date: Date,
        unsubscribeURL: String? = nil
    ) throws -> RenderedMail {
        guard let recipient = MailAddress(address, displayName: name) else { throw RenderError.badAddress }
        let subject = try render("\(template).subject", context).trimmingCharacters(in: .whitespacesAndNewlines)
        let text = try render("\(template).text", context)
        let html = try render("\(template).html", context)
        let message = MailMessage(
            from: from,
            to: recipient,
            subject: subject,
            text: text,
            html: html,
            messageID: messageID,
            date: date,
            unsubscribeURL: unsubscribeURL
        )
        return RenderedMail(subject: subject, text: text, html: html, bytes: MIMEComposer.compose(message))
    }

    private func render(_ name: String, _ context: [String: Any]) throws -> String {
        guard let text = library.render(context, withTemplate: name) else { throw RenderError.missingTemplate(name) }
        return text
    }
}
