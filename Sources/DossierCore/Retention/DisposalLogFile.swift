import Foundation

/// The disposal log as JSON lines, one record per line: a copy to keep outside the database (it
/// holds no personal data), so that `reapply` still knows what was purged after a restore of a
/// backup older than the disposals.
public enum DisposalLogFile {
    struct Line: Codable {
        let seq: Int64
        let runID: String
        let event: String
        let subjectRef: String?
        let policyID: String
        let policyVersion: Int
        let completedMonth: String?
        let itemCount: Int?
        let byteCount: Int64?
        let actor: String
        let at: Int64
        let prevHash: String
        let hash: String

        enum CodingKeys: String, CodingKey {
            case seq
            case runID = "run_id"
            case event
            case subjectRef = "subject_ref"
            case policyID = "policy_id"
            case policyVersion = "policy_version"
            case completedMonth = "completed_month"
            case itemCount = "item_count"
            case byteCount = "byte_count"
            case actor, at
            case prevHash = "prev_hash"
            case hash
        }
    }

    /// A file that is not a copy of the log: a line that does not decode, or a chain that breaks.
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    public static func line(_ record: DisposalRecord) throws -> String {
        let line = Line(
            seq: record.seq ?? 0,
            runID: record.runID.description,
            event: record.event.rawValue,
            subjectRef: record.subjectRef?.hexString,
            policyID: record.policyID,
            policyVersion: record.policyVersion,
            completedMonth: record.completedMonth?.description,
            itemCount: record.itemCount,
            byteCount: record.byteCount,
            actor: record.actor,
            at: Int64(record.at.timeIntervalSince1970),
            prevHash: record.prevHash.hexString,
            hash: record.hash.hexString
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(line), as: UTF8.self)
    }

    /// The records of a file, checked link by link from its first record on: a copy that was
    /// altered is refused rather than trusted to decide what to delete.
    public static func records(from text: String) throws -> [DisposalRecord] {
        var records: [DisposalRecord] = []
        var verifier: DisposalChain.Verifier?
        for (number, text) in text.split(whereSeparator: \.isNewline).enumerated() {
            guard let line = try? JSONDecoder().decode(Line.self, from: Data(text.utf8)),
                let event = DisposalRecord.Event(rawValue: line.event),
                let runID = RetentionRun.ID(line.runID), let prevHash = Data(hexString: line.prevHash),
                let hash = Data(hexString: line.hash)
            else { throw Invalid(description: "line \(number + 1) is not a disposal-log record") }
            let record = DisposalRecord(
                seq: line.seq,
                runID: runID,
                event: event,
                subjectRef: line.subjectRef.flatMap { Data(hexString: $0) },
                policyID: line.policyID,
                policyVersion: line.policyVersion,
                completedMonth: line.completedMonth.flatMap(CalendarDate.init),
                itemCount: line.itemCount,
                byteCount: line.byteCount,
                actor: line.actor,
                at: Date(timeIntervalSince1970: TimeInterval(line.at)),
                prevHash: prevHash,
                hash: hash
            )
            var checker = verifier ?? DisposalChain.Verifier(after: prevHash)
            if let broken = checker.check(record) {
                throw Invalid(description: "the file's chain breaks at \(broken)")
            }
            verifier = checker
            records.append(record)
        }
        return records
    }
}
