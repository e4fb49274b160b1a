import DossierCore
import Foundation
import Testing

@Suite("Disposal log chain and certificates")
struct DisposalChainTests {
    static let keys = RetentionKeys(secretKey: SecretKey(base64: Data(repeating: 7, count: 32).base64EncodedString())!)

    static func chain(_ count: Int) -> [DisposalRecord] {
        var previous = DisposalChain.genesis
        return (0..<count).map { index in
            var record = DisposalChain.link(
                DisposalRecord(
                    runID: .generate(),
                    event: .purged,
                    subjectRef: keys.subjectRef(.generate()),
                    policyID: "default",
                    policyVersion: 1,
                    completedMonth: CalendarDate("2024-02-29"),
                    itemCount: index,
                    byteCount: 4096,
                    actor: "scheduler",
                    at: Date(timeIntervalSince1970: 1_795_420_800)
                ),
                after: previous
            )
            record.seq = Int64(index + 1)
            previous = record.hash
            return record
        }
    }

    static func verify(_ records: [DisposalRecord]) -> DisposalChain.Break? {
        var verifier = DisposalChain.Verifier()
        for record in records {
            if let broken = verifier.check(record) { return broken }
        }
        return nil
    }

    @Test("An untouched chain verifies; dates are kept to the month")
    func intact() {
        let records = Self.chain(5)

        #expect(Self.verify(records) == nil)
        #expect(records[0].completedMonth == CalendarDate("2024-02-01"))
    }

    @Test("Changing a record breaks the chain at that record")
    func tampered() {
        var records = Self.chain(5)
        let original = records[2]
        records[2] = DisposalRecord(
            seq: original.seq,
            runID: original.runID,
            event: original.event,
            subjectRef: original.subjectRef,
            policyID: original.policyID,
            policyVersion: original.policyVersion,
            completedMonth: original.completedMonth,
            itemCount: 999,
            byteCount: original.byteCount,
            actor: original.actor,
            at: original.at,
            prevHash: original.prevHash,
            hash: original.hash
        )

        #expect(Self.verify(records)?.seq == 3)
    }

    @Test("Removing a record breaks the chain at the next one")
    func removed() {
        var records = Self.chain(5)
        records.remove(at: 1)

        #expect(Self.verify(records)?.seq == 3)
    }

    @Test("The subject reference is stable per portfolio and reveals nothing without the key")
    func subjectRef() {
        let portfolio = Portfolio.ID.generate()
        let otherKeys = RetentionKeys(
            secretKey: SecretKey(base64: Data(repeating: 8, count: 32).base64EncodedString())!
        )

        #expect(Self.keys.subjectRef(portfolio) == Self.keys.subjectRef(portfolio))
        #expect(Self.keys.subjectRef(portfolio) != otherKeys.subjectRef(portfolio))
        #expect(Self.keys.subjectRef(portfolio).count == 32)
    }

    @Test("A certificate survives a round trip through JSON and any change voids its signature")
    func certificate() throws {
        var run = RetentionRun(
            id: .generate(),
            mode: .execute,
            status: .done,
            policyID: "default",
            policyVersion: 1,
            asOf: CalendarDate("2026-11-23")!,
            trigger: .scheduler,
            requestedBy: nil,
            counts: RetentionCounts(),
            windows: RetentionWindowCounts(),
            createdAt: Date(timeIntervalSince1970: 1_795_420_800.123),
            finishedAt: Date(timeIntervalSince1970: 1_795_420_900.456)
        )
        run.counts.purge = 3
        run.counts.purged = 3
        let certificate = try RetentionCertificate(
            run: run,
            records: (first: 1, last: 4, head: Data(repeating: 1, count: 32)),
            issuedAt: Date(timeIntervalSince1970: 1_795_421_000.789)
        ).signed(with: Self.keys)

        let decoded = try RetentionCertificateJSON.decode(try RetentionCertificateJSON.encode(certificate))
        #expect(decoded.isValid(with: Self.keys))
        let forged = try JSONSerialization.jsonObject(with: try RetentionCertificateJSON.encode(certificate))
        var fields = try #require(forged as? [String: Any])
        fields["last_seq"] = 3
        let reencoded = try JSONSerialization.data(withJSONObject: fields)
        #expect(!(try RetentionCertificateJSON.decode(reencoded)).isValid(with: Self.keys))
    }

    @Test("A policy whose retention ends before the download window plus grace is refused, as is one without a reason")
    func policyChange() async throws {
        let short = RetentionPolicyChange(
            keepMonths: 6,
            downloadMonths: 6,
            graceDays: 14,
            autoApproveMax: 25,
            reason: "x"
        )
        let noReason = RetentionPolicyChange(
            keepMonths: 24,
            downloadMonths: 6,
            graceDays: 14,
            autoApproveMax: 25,
            reason: " "
        )

        #expect(throws: DossierError.self) { try Self.validate(short) }
        #expect((try? Self.validate(short)) == nil)
        #expect(Self.pointers(short) == ["/keep_months"])
        #expect(Self.pointers(noReason) == ["/reason"])
        // A completion on 31 December would be hidden on the last day of its download window.
        let monthEnd = RetentionPolicyChange(
            keepMonths: 2,
            downloadMonths: 1,
            graceDays: 29,
            autoApproveMax: 25,
            reason: "x"
        )
        #expect(Self.pointers(monthEnd) == ["/keep_months"])
        #expect(
            Self.pointers(
                RetentionPolicyChange(
                    keepMonths: 24,
                    downloadMonths: 6,
                    graceDays: 14,
                    autoApproveMax: 25,
                    reason: "ok"
                )
            ) == []
        )
    }

    static func validate(_ change: RetentionPolicyChange) throws {
        _ = try change.validated()
    }

    static func pointers(_ change: RetentionPolicyChange) -> [String] {
        do {
            _ = try change.validated()
            return []
        } catch {
            return error.fieldErrors.map(\.pointer)
        }
    }
}
