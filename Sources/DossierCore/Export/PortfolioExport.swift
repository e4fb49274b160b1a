import Foundation

/// Everything one export holds, read in one transaction before the first byte is sent: the
/// archive is then written from this snapshot and the stored attachment chunks.
public struct PortfolioExport: Sendable {
    public let portfolio: Portfolio
    public let traineeName: String
    public let exportedAt: Date
    public let entries: [Entry]
    public let attachments: [Attachment]
    public let assessments: [Assessment]
    public let records: [ProgressRecord]
    /// Every form version a response in the export was filled in on.
    public let forms: [FormVersion]
    /// Names of the people who wrote comments, assessments and records, for `index.html`.
    public let names: [PersonID: String]

    public init(
        portfolio: Portfolio,
        traineeName: String,
        exportedAt: Date,
        entries: [Entry],
        attachments: [Attachment],
        assessments: [Assessment],
        records: [ProgressRecord],
        forms: [FormVersion],
        names: [PersonID: String]
    ) {
        self.portfolio = portfolio
        self.traineeName = traineeName
        self.exportedAt = exportedAt
        self.entries = entries
        self.attachments = attachments
        self.assessments = assessments
        self.records = records
        self.forms = forms
        self.names = names
    }

    /// Where an attachment lives inside the archive: its id keeps names unique, the rest is the
    /// uploaded name made safe (no directories, no traversal) and ending in its sniffed type's
    /// extension, also for names stored before uploads were renamed.
    public static func path(of attachment: Attachment) -> String {
        let name = attachment.type.fileName(ZipWriter.safeName(attachment.fileName, fallback: "file"))
        return "attachments/\(attachment.id)-\(name)"
    }

    public func form(_ key: String, _ version: Int) -> FormVersion? {
        forms.first { $0.formKey == key && $0.version == version }
    }

    public func name(_ id: PersonID?) -> String {
        id.flatMap { names[$0] } ?? "unknown"
    }
}
