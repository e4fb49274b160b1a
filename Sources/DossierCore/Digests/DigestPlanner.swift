import Crypto
import Foundation
import Logging

/// `digest.plan` (worker.md 6.5): every 15 minutes, finds who is due in their own calendar,
/// gathers what needs them, renders it and writes one outbox row per person and period, in
/// batches of 200, each one transaction. The row's key holds the period, so a second row for the
/// same person and period cannot exist: not after a crash, not from another replica. A digest
/// with nothing to say is a `skipped` row, which keeps the key and sends nothing.
///
/// The same pass writes the download-window notices, once per portfolio and milestone.
public struct DigestPlanner: Sendable {
    public struct Summary: Sendable, Equatable {
        public var considered = 0
        public var planned = 0
        public var skipped = 0
        public var notices = 0
    }

    /// Where links in mail point: `PUBLIC_BASE_URL`.
    public let baseURL: String
    /// The right-hand side of every Message-ID: the sender's domain.
    public let messageDomain: String
    private let database: Database
    private let clock: any WallClock
    private let renderer: any MailRendering
    private let unsubscribe: UnsubscribeToken
    private let linkKey: SymmetricKey
    private let logger: Logger
    private let gather = DigestGatherRepository()
    private let outbox = OutboxRepository()
    static let batchSize = 200

    public init(
        database: Database,
        clock: any WallClock,
        secretKey: SecretKey,
        renderer: any MailRendering,
        baseURL: String,
        messageDomain: String,
        logger: Logger
    ) {
        self.database = database
        self.clock = clock
        self.renderer = renderer
        self.baseURL = baseURL
        self.messageDomain = messageDomain
        self.unsubscribe = UnsubscribeToken(secretKey: secretKey)
        self.linkKey = secretKey.subkey(for: "evaluation-digest-link")
        self.logger = logger
    }

    // MARK: Planning

    @discardableResult
    public func plan() async throws -> Summary {
        let now = clock.now()
        var summary = Summary()
        let institute = try await database.read { try await InstituteView.load(now: now, on: $0) }
        var after: UUID?
        while true {
            let batch = try await database.transaction { connection in
                let recipients = try await gather.recipients(
                    after: after,
                    limit: Self.batchSize,
                    now: now,
                    on: connection
                )
                try await planBatch(recipients, institute: institute, now: now, summary: &summary, on: connection)
                return recipients.last?.id.uuid
            }
            guard let batch else { break }
            after = batch
        }
        summary.notices = try await planNotices(institute: institute, now: now)
        logger.info(
            "digests planned",
            metadata: [
                "considered": "\(summary.considered)", "planned": "\(summary.planned)",
                "skipped": "\(summary.skipped)", "notices": "\(summary.notices)",
            ]
        )
        return summary
    }

    private func planBatch(
        _ recipients: [DigestGatherRepository.Recipient],
        institute: InstituteView,
        now: Date,
        summary: inout Summary,
        on connection: DatabaseConnection
    ) async throws {
        var due: [(DigestGatherRepository.Recipient, DigestPeriod, key: String)] = []
        for recipient in recipients where !recipient.suppressed {
            guard let period = DigestPeriod.due(at: now, for: recipient.preferences) else { continue }
            due.append((recipient, period, Self.key(recipient.id, period)))
        }
        let existing = try await outbox.existing(due.map(\.key), on: connection)
        due.removeAll { existing.contains($0.key) }
        summary.considered += due.count
        guard !due.isEmpty else { return }
        let contents = try await gatherContents(
            due.map { ($0.0, $0.1) },
            institute: institute,
            now: now,
            issueLinks: true,
            on: connection
        )
        for (recipient, _, key) in due {
            guard let content = contents[recipient.id] else { continue }
            let messageID = "<\(UUID().uuidString.lowercased())@\(messageDomain)>"
            if content.isEmpty {
                try await outbox.insert(
                    NewMail(
                        key: key,
                        kind: .digest,
                        personID: recipient.id,
                        toAddress: nil,
                        messageID: messageID,
                        message: nil,
                        skipped: true
                    ),
                    at: now,
                    on: connection
                )
                summary.skipped += 1
                continue
            }
            let rendered: RenderedMail
            do {
                rendered = try renderer.digest(content, messageID: messageID, date: now)
            } catch {
                // An address no message can carry: the row fails with its reason, the batch goes on.
                try await outbox.insert(
                    NewMail(
                        key: key,
                        kind: .digest,
                        personID: recipient.id,
                        toAddress: String(recipient.email.prefix(254)),
                        messageID: messageID,
                        message: nil
                    ),
                    at: now,
                    on: connection
                )
                try await outbox.fail(key: key, reason: "cannot be rendered: \(error)", on: connection)
                continue
            }
            try await outbox.insert(
                NewMail(
                    key: key,
                    kind: .digest,
                    personID: recipient.id,
                    toAddress: recipient.email,
                    messageID: messageID,
                    message: rendered.bytes
                ),
                at: now,
                on: connection
            )
            summary.planned += 1
        }
        try await JobQueue().wake(.mail, on: connection)
    }

    static func key(_ person: PersonID, _ period: DigestPeriod) -> String { "digest:\(person):\(period.key)" }

    /// The notices of download windows closing in 30 and in 7 days. A trainee first seen inside
    /// seven days gets only the seven-day one.
    private func planNotices(institute: InstituteView, now: Date) async throws -> Int {
        let today = CalendarDate(now)
        var made = 0
        for completed in institute.completed {
            let lastDay = completed.completedAt.adding(months: institute.downloadMonths)
            let left = today.days(until: lastDay)
            guard left >= 0, left <= 30 else { continue }
            let milestone: DownloadNotice.Milestone = left <= 7 ? .sevenDays : .thirtyDays
            let key = "notice:download_closing:\(completed.portfolio.lowercasedString):\(milestone.rawValue)"
            let notice = DownloadNotice(
                person: completed.trainee,
                portfolio: completed.portfolio,
                name: completed.name,
                email: completed.email,
                milestone: milestone,
                lastDay: lastDay,
                exportURL: "\(baseURL)/v1/portfolios/\(completed.portfolio.lowercasedString)/export"
            )
            let messageID = "<\(UUID().uuidString.lowercased())@\(messageDomain)>"
            let bytes = try? renderer.downloadNotice(notice, messageID: messageID, date: now).bytes
            let inserted = try await database.transaction { connection in
                let id = try await outbox.insert(
                    NewMail(
                        key: key,
                        kind: .downloadClosing,
                        personID: completed.trainee,
                        toAddress: String(completed.email.prefix(254)),
                        messageID: messageID,
                        message: bytes
                    ),
                    at: now,
                    on: connection
                )
                if id != nil, bytes == nil {
                    try await outbox.fail(
                        key: key,
                        reason: "cannot be rendered: the address is not usable",
                        on: connection
                    )
                }
                if id != nil { try await JobQueue().wake(.mail, on: connection) }
                return id != nil
            }
            if inserted { made += 1 }
        }
        return made
    }

    // MARK: Preview

    /// What the person's next digest would say, rendered exactly as it would be sent, except that
    /// personal response links are redacted: an admin must not hold another person's credential.
    /// Writes nothing.
    public func preview(of person: PersonID, caller: Caller) async throws -> (DigestContent, RenderedMail?) {
        _ = try AccessPolicy.decide(.getDigestPreview, caller: caller).rule(or: "person")
        let now = clock.now()
        return try await database.read { connection in
            let institute = try await InstituteView.load(now: now, on: connection)
            guard
                let recipient = try await gather.recipients(
                    after: nil,
                    limit: 1,
                    now: now,
                    on: connection,
                    only: person
                ).first
            else { throw DossierError.notFound("person") }
            var preferences = recipient.preferences
            if preferences.frequency == .off { preferences = .default(for: recipient.roles) }
            let period =
                DigestPeriod.latest(atOrBefore: now, for: preferences)
                ?? DigestPeriod(key: CalendarDate(now).description, dueAt: now, start: now.addingTimeInterval(-86_400))
            let contents = try await gatherContents(
                [(recipient, period)],
                institute: institute,
                now: now,
                issueLinks: false,
                on: connection
            )
            guard let content = contents[recipient.id] else { throw DossierError.notFound("person") }
            let messageID = "<preview@\(messageDomain)>"
            return (content, content.isEmpty ? nil : try renderer.digest(content, messageID: messageID, date: now))
        }
    }

    // MARK: Gathering

    /// What needs each person; with `issueLinks` the personal response links are set (planning),
    /// without them redacted (preview).
    private func gatherContents(
        _ people: [(DigestGatherRepository.Recipient, DigestPeriod)],
        institute: InstituteView,
        now: Date,
        issueLinks: Bool,
        on connection: DatabaseConnection
    ) async throws -> [PersonID: DigestContent] {
        let ids = people.map(\.0.id.uuid)
        let today = CalendarDate(now)
        let last = try await outbox.lastDigest(of: ids, on: connection)
        var since: [PersonID: Date] = [:]
        for (recipient, period) in people {
            since[recipient.id] = last[recipient.id.uuid].map { min($0, now) } ?? period.start
        }
        let earliest = since.values.min() ?? now
        let supervisees = try await gather.supervisees(of: ids, today: today, on: connection)
        let unsigned = try await gather.unsignedRecords(of: ids, on: connection)
        let assignments = try await gather.openAssignments(of: ids, now: now, on: connection)
        let followUps = try await gather.followUps(of: ids, since: earliest, on: connection)
        let events = try await gather.ipoEvents(of: ids, since: earliest, now: now, on: connection)
        if issueLinks {
            try await gather.setLinks(assignments.map { ($0, TokenSecret.hash(link(for: $0))) }, on: connection)
        }
        let reviews = institute.reviews

        var contents: [PersonID: DigestContent] = [:]
        for (recipient, period) in people {
            let person = recipient.id
            let from = since[person] ?? period.start
            var sections: [DigestContent.Section] = []

            var reviewItems: [DigestContent.Item] = []
            if let own = reviews[person] { reviewItems += own.items(for: nil, today: today, baseURL: baseURL) }
            for supervisee in supervisees where supervisee.supervisor == person {
                reviewItems +=
                    reviews[supervisee.trainee]?.items(for: supervisee.name, today: today, baseURL: baseURL) ?? []
            }
            sections.append(.init(key: "progress_reviews", title: "Progress reviews due", items: reviewItems))

            sections.append(
                .init(
                    key: "signatures",
                    title: "Records awaiting your signature",
                    items: unsigned.filter { $0.author == person }.map {
                        DigestContent.Item(
                            "Progress \($0.kind) of \($0.heldOn) for \($0.traineeName) is not signed yet",
                            link: "\(baseURL)/v1/progress-reviews/\($0.id.lowercasedString)"
                        )
                    }
                )
            )

            sections.append(
                .init(
                    key: "evaluations",
                    title: "Evaluations to fill in",
                    items: assignments.filter { $0.person == person }.map { assignment in
                        let token = issueLinks ? link(for: assignment) : "evl_(personal-link-redacted-in-preview)"
                        return DigestContent.Item(
                            "\"\(assignment.title)\", open until \(RFC3339.string(from: assignment.closesAt))",
                            link: "\(baseURL)/v1/evaluation-links/\(token)"
                        )
                    }
                )
            )

            let happened = (followUps + events).filter { $0.person == person && $0.at > from && $0.at <= now }
                .sorted { $0.at < $1.at }
            sections.append(
                .init(
                    key: "news",
                    title: "Since your last digest",
                    items: happened.map { DigestContent.Item($0.text, link: $0.link.map { "\(baseURL)\($0)" }) }
                )
            )

            var downloadItems: [DigestContent.Item] = []
            if let completed = institute.completed.first(where: { $0.trainee == person }) {
                let lastDay = completed.completedAt.adding(months: institute.downloadMonths)
                if today <= lastDay {
                    downloadItems.append(
                        .init(
                            "Your portfolio can be downloaded until \(lastDay)",
                            link: "\(baseURL)/v1/portfolios/\(completed.portfolio.lowercasedString)/export"
                        )
                    )
                }
            }
            sections.append(.init(key: "download", title: "Your portfolio download", items: downloadItems))

            if recipient.roles.contains(.coordinator) {
                sections.append(
                    .init(key: "coordination", title: "For coordinators", items: institute.coordinatorItems(baseURL))
                )
            }
            contents[person] = DigestContent(
                person: person,
                name: recipient.name,
                email: recipient.email,
                frequency: recipient.preferences.frequency == .off ? .weekly : recipient.preferences.frequency,
                period: period,
                sections: sections,
                unsubscribeURL: "\(baseURL)/v1/email/unsubscribe/\(unsubscribe.token(for: person))",
                preferencesURL: "\(baseURL)/v1/me/digest-preferences"
            )
        }
        return contents
    }

    /// The digest's response link for an assignment: the same in every digest of the evaluation,
    /// so last week's mail still works; a link made through the API replaces it, and the next
    /// digest sets it back.
    func link(for assignment: DigestGatherRepository.OpenAssignment) -> String {
        let message =
            Data(withUnsafeBytes(of: assignment.evaluation.uuid.uuid) { Array($0) })
            + Data(withUnsafeBytes(of: assignment.person.uuid.uuid) { Array($0) })
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: linkKey)
        return EvaluationService.linkPrefix + Base64URL.encode(Array(mac))
    }
}
