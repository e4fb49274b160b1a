import Foundation
import PostgresNIO

/// SQL for the disposal log: appends only (the application role may not update or delete it).
public struct DisposalLogRepository: Sendable {
    public init() {}

    /// Links `record` after the current head and appends it, in the caller's transaction. The
    /// advisory lock serialises appenders until commit, and the unique `prev_hash` would refuse a
    /// fork even without it.
    @discardableResult
    public func append(_ record: DisposalRecord, on connection: PostgresConnection) async throws -> DisposalRecord {
        try await connection.query(
            "SELECT pg_advisory_xact_lock(hashtext('disposal_log'))",
            logger: PersonRepository.logger
        )
        var head = DisposalChain.genesis
        let heads = try await connection.query(
            "SELECT hash FROM disposal_log ORDER BY seq DESC LIMIT 1",
            logger: PersonRepository.logger
        )
        for try await hash in heads.decode(ByteBuffer.self) { head = Data(hash.readableBytesView) }
        var linked = DisposalChain.link(record, after: head)
        let rows = try await connection.query(
            """
            INSERT INTO disposal_log
                (run_id, event, subject_ref, policy_id, policy_version, completed_month, item_count, byte_count, actor,
                 at, prev_hash, hash)
            VALUES (\(linked.runID.uuid), \(linked.event.rawValue), \(linked.subjectRef.map { ByteBuffer(bytes: $0) }),
                    \(linked.policyID), \(linked.policyVersion), \(linked.completedMonth?.description)::date,
                    \(linked.itemCount), \(linked.byteCount), \(linked.actor), \(linked.at),
                    \(ByteBuffer(bytes: linked.prevHash)), \(ByteBuffer(bytes: linked.hash)))
            RETURNING seq
            """,
            logger: PersonRepository.logger
        )
        for try await seq in rows.decode(Int64.self) { linked.seq = seq }
        return linked
    }

    /// Records in `seq` order after `after`, a batch at a time (verification walks all of them).
    public func records(after: Int64, limit: Int, on connection: PostgresConnection) async throws -> [DisposalRecord] {
        let rows = try await connection.query(
            """
            SELECT seq, run_id, event, subject_ref, policy_id, policy_version, to_char(completed_month, 'YYYY-MM-DD'),
                   item_count, byte_count, actor, at, prev_hash, hash
            FROM disposal_log WHERE seq > \(after) ORDER BY seq LIMIT \(limit)
            """,
            logger: PersonRepository.logger
        )
        return try await Self.decode(rows)
    }

    /// Everything the log says about one portfolio, by its HMAC.
    public func records(subjectRef: Data, on connection: PostgresConnection) async throws -> [DisposalRecord] {
        let rows = try await connection.query(
            """
            SELECT seq, run_id, event, subject_ref, policy_id, policy_version, to_char(completed_month, 'YYYY-MM-DD'),
                   item_count, byte_count, actor, at, prev_hash, hash
            FROM disposal_log WHERE subject_ref = \(ByteBuffer(bytes: subjectRef)) ORDER BY seq
            """,
            logger: PersonRepository.logger
        )
        return try await Self.decode(rows)
    }

    /// The first and last record of a run, with the last one's hash: what a certificate cites.
    public func range(
        of run: RetentionRun.ID,
        on connection: PostgresConnection
    ) async throws
        -> (first: Int64, last: Int64, head: Data)?
    {
        let rows = try await connection.query(
            """
            SELECT min(seq), max(seq), (SELECT hash FROM disposal_log WHERE run_id = \(run.uuid) ORDER BY seq DESC LIMIT 1)
            FROM disposal_log WHERE run_id = \(run.uuid)
            HAVING count(*) > 0
            """,
            logger: PersonRepository.logger
        )
        for try await (first, last, head) in rows.decode((Int64, Int64, ByteBuffer).self) {
            return (first, last, Data(head.readableBytesView))
        }
        return nil
    }

    /// Where and under which policy each purged portfolio went, by HMAC: what `reapply` compares
    /// a restored database with.
    public func purgedSubjects(on connection: PostgresConnection) async throws -> [Data: DisposalRecord] {
        let rows = try await connection.query(
            """
            SELECT seq, run_id, event, subject_ref, policy_id, policy_version, to_char(completed_month, 'YYYY-MM-DD'),
                   item_count, byte_count, actor, at, prev_hash, hash
            FROM disposal_log WHERE event = 'purged' AND subject_ref IS NOT NULL ORDER BY seq
            """,
            logger: PersonRepository.logger
        )
        var subjects: [Data: DisposalRecord] = [:]
        for record in try await Self.decode(rows) {
            if let ref = record.subjectRef { subjects[ref] = record }
        }
        return subjects
    }

    private static func decode(_ rows: PostgresRowSequence) async throws -> [DisposalRecord] {
        var records: [DisposalRecord] = []
        for try await row in rows {
            let (seq, run, event, subject, policyID, policyVersion, month, items, bytes, actor, at, prevHash, hash) =
                try row.decode(
                    (
                        Int64, UUID, String, ByteBuffer?, String, Int, String?, Int?, Int64?, String, Date, ByteBuffer,
                        ByteBuffer
                    ).self
                )
            guard let event = DisposalRecord.Event(rawValue: event) else { continue }
            records.append(
                DisposalRecord(
                    seq: seq,
                    runID: RetentionRun.ID(run),
                    event: event,
                    subjectRef: subject.map { Data($0.readableBytesView) },
                    policyID: policyID,
                    policyVersion: policyVersion,
                    completedMonth: month.flatMap(CalendarDate.init),
                    itemCount: items,
                    byteCount: bytes,
                    actor: actor,
                    at: at,
                    prevHash: Data(prevHash.readableBytesView),
                    hash: Data(hash.readableBytesView)
                )
            )
        }
        return records
    }
}
