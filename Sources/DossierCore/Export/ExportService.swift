import Foundation

/// The portfolio as one ZIP archive: the trainee until the download window closes (410 after),
/// a coordinator with a stated reason (flagged in the access log). The snapshot is read and the
/// access is logged in one transaction that commits before the first byte; the attachments then
/// stream chunk by chunk, so memory stays flat however large the portfolio is.
public struct ExportService: Sendable {
    private let database: Database
    private let clock: any WallClock
    private let access = PortfolioAccess()
    private let people = PersonRepository()
    private let entries = EntryRepository()
    private let attachments = AttachmentRepository()
    private let assessments = AssessmentRepository()
    private let records = ProgressRecordRepository()
    private let forms = FormRepository()

    public init(database: Database, clock: any WallClock) {
        self.database = database
        self.clock = clock
    }

    public func export(_ portfolioID: Portfolio.ID, caller: Caller) async throws -> ExportArchive {
        let now = clock.now()
        let snapshot = try await database.transaction { connection in
            let grant = try await access.portfolio(
                portfolioID,
                for: .exportPortfolio,
                caller: caller,
                now: now,
                on: connection
            )
            let export = try await gather(grant.portfolio, drafts: grant.relation == .own, at: now, on: connection)
            try await grant.log(.export, "portfolio", id: portfolioID.uuid, on: connection)
            return export
        }
        return ExportArchive(snapshot, database: database, attachments: attachments)
    }

    private func gather(
        _ portfolio: Portfolio,
        drafts: Bool,
        at now: Date,
        on connection: DatabaseConnection
    ) async throws -> PortfolioExport {
        let allEntries = try await everything { page in
            try await entries.list(portfolio: portfolio.id, sharedOnly: !drafts, page: page, on: connection)
        } id: {
            $0.id.uuid
        }
        let allAssessments = try await everything { page in
            try await assessments.list(
                portfolio: portfolio.id,
                instrument: nil,
                includeTest: true,
                page: page,
                on: connection
            )
        } id: {
            $0.id.uuid
        }
        let allRecords = try await everything { page in
            try await records.list(portfolio: portfolio.id, kind: nil, includeTest: true, page: page, on: connection)
        } id: {
            $0.id.uuid
        }
        var used = Set<String>()
        var versions: [FormVersion] = []
        for (key, number) in allAssessments.map({ ($0.instrument, $0.formVersion) })
            + allRecords.map({ ($0.formKey, $0.formVersion) })
        where used.insert("\(key)#\(number)").inserted {
            if let version = try await forms.version(key, number, on: connection) { versions.append(version) }
        }
        var names: [PersonID: String] = [:]
        let authors = Set(
            allEntries.flatMap { $0.comments.map(\.authorID) } + allRecords.map(\.authorID) + [portfolio.traineeID]
        )
        for author in authors {
            if let person = try await people.find(author, on: connection) { names[author] = person.name }
        }
        return PortfolioExport(
            portfolio: portfolio,
            traineeName: names[portfolio.traineeID] ?? "",
            exportedAt: now,
            entries: allEntries,
            attachments: try await attachments.list(portfolio: portfolio.id, sharedOnly: !drafts, on: connection),
            assessments: allAssessments,
            records: allRecords,
            forms: versions.sorted { ($0.formKey, $0.version) < ($1.formKey, $1.version) },
            names: names
        )
    }

    /// Every item of a paged repository list.
    private func everything<Item>(
        _ fetch: (PageRequest) async throws -> [Item],
        id: (Item) -> UUID
    ) async throws -> [Item] {
        var items: [Item] = []
        var after: UUID?
        while true {
            let page = try PageRequest(limit: PageRequest.maximumLimit, after: after)
            let fetched = try await fetch(page)
            items += fetched.prefix(page.limit)
            guard fetched.count > page.limit, let last = items.last else { return items }
            after = id(last)
        }
    }
}

/// The archive's bytes in order: headers and generated files from memory, attachments read one
/// stored chunk at a time when the client asks for more (pull, so a slow client holds no buffer).
public struct ExportArchive: AsyncSequence, Sendable {
    public typealias Element = ArraySlice<UInt8>

    enum Part: Sendable {
        case bytes([UInt8])
        case attachment(AttachmentContent)
    }

    private let parts: [Part]
    /// The exact length of the archive, known before the first byte.
    public let length: Int
    /// A download name that says what the file is without holding personal data.
    public let fileName: String

    init(_ export: PortfolioExport, database: Database, attachments: AttachmentRepository) {
        var zip = ZipWriter(modified: export.exportedAt)
        var parts: [Part] = []
        for (name, bytes) in [
            ("manifest.json", ExportManifest.json(export)), ("index.html", ExportIndexPage.html(export)),
        ] {
            var crc = CRC32()
            crc.update(bytes)
            parts.append(.bytes(zip.header(name: name, size: UInt64(bytes.count), crc32: crc.value)))
            parts.append(.bytes(bytes))
        }
        for file in export.attachments {
            parts.append(
                .bytes(zip.header(name: PortfolioExport.path(of: file), size: UInt64(file.size), crc32: file.crc32))
            )
            if file.size > 0 {
                parts.append(
                    .attachment(
                        AttachmentContent(
                            id: file.id,
                            range: ByteRange(first: 0, last: file.size - 1),
                            database: database,
                            attachments: attachments
                        )
                    )
                )
            }
        }
        parts.append(.bytes(zip.finish()))
        self.parts = parts
        self.length = Int(zip.offset)
        self.fileName = "portfolio-\(export.portfolio.id)-\(CalendarDate(export.exportedAt)).zip"
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(parts: parts)
    }

    public struct Iterator: AsyncIteratorProtocol {
        let parts: [Part]
        var index = 0
        var file: AttachmentContent.Iterator?

        public mutating func next() async throws -> ArraySlice<UInt8>? {
            while index < parts.count {
                if var current = file {
                    let bytes = try await current.next()
                    file = current
                    if let bytes { return bytes }
                    file = nil
                    index += 1
                    continue
                }
                switch parts[index] {
                case .bytes(let bytes):
                    index += 1
                    if !bytes.isEmpty { return bytes[...] }
                case .attachment(let content):
                    file = content.makeAsyncIterator()
                }
            }
            return nil
        }
    }
}
