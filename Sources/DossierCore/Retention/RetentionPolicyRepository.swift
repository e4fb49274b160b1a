import Foundation
import PostgresNIO

/// SQL for the versioned retention policy; a version is inserted, never changed.
public struct RetentionPolicyRepository: Sendable {
    public init() {}

    public func current(on connection: PostgresConnection) async throws -> RetentionPolicyVersion? {
        try await versions(limit: 1, on: connection).first
    }

    public func find(id: String, version: Int, on connection: PostgresConnection) async throws -> RetentionPolicy? {
        let rows = try await connection.query(
            """
            SELECT id, version, keep_months, download_months, grace_days, auto_approve_max, four_eyes, reason, created_by,
                   created_at
            FROM retention_policies WHERE id = \(id) AND version = \(version)
            """,
            logger: PersonRepository.logger
        )
        return try await Self.decode(rows).first?.policy
    }

    /// Newest first.
    public func versions(limit: Int = 1000, on connection: PostgresConnection) async throws -> [RetentionPolicyVersion]
    {
        let rows = try await connection.query(
            """
            SELECT id, version, keep_months, download_months, grace_days, auto_approve_max, four_eyes, reason, created_by,
                   created_at
            FROM retention_policies WHERE id = 'default' ORDER BY version DESC LIMIT \(limit)
            """,
            logger: PersonRepository.logger
        )
        return try await Self.decode(rows)
    }

    /// The next version; two admins changing it at once get one version each, in order, because
    /// the primary key on (id, version) refuses the second writer of the same number.
    public func insertNext(
        _ change: RetentionPolicyChange,
        reason: String,
        by admin: PersonID,
        at now: Date,
        on connection: PostgresConnection
    ) async throws -> RetentionPolicyVersion {
        let rows = try await connection.query(
            """
            INSERT INTO retention_policies
                (id, version, keep_months, download_months, grace_days, auto_approve_max, four_eyes, reason, created_by,
                   created_at)
            SELECT 'default', coalesce(max(version), 0) + 1, \(change.keepMonths), \(change.downloadMonths),
                   \(change.graceDays), \(change.autoApproveMax), \(change.fourEyes), \(reason), \(admin.uuid), \(now)
            FROM retention_policies WHERE id = 'default'
            RETURNING id, version, keep_months, download_months, grace_days, auto_approve_max, four_eyes, reason, created_by,
                   created_at
            """,
            logger: PersonRepository.logger
        )
        guard let version = try await Self.decode(rows).first else { throw DossierError.notFound("policy") }
        return version
    }

    private static func decode(_ rows: PostgresRowSequence) async throws -> [RetentionPolicyVersion] {
        var versions: [RetentionPolicyVersion] = []
        for try await (id, version, keep, download, grace, autoApprove, fourEyes, reason, createdBy, createdAt)
            in rows.decode((String, Int, Int, Int, Int, Int, Bool, String, UUID?, Date).self)
        {
            versions.append(
                RetentionPolicyVersion(
                    policy: Self.policy((id, version, keep, download, grace, autoApprove, fourEyes)),
                    reason: reason,
                    createdBy: createdBy.map(PersonID.init),
                    createdAt: createdAt
                )
            )
        }
        return versions
    }

    /// id, version, keep_months, download_months, grace_days, auto_approve_max and four_eyes, in
    /// that order, as every query that reads a policy selects them.
    static func policy(_ columns: (String, Int, Int, Int, Int, Int, Bool)) -> RetentionPolicy {
        let (id, version, keep, download, grace, autoApprove, fourEyes) = columns
        return RetentionPolicy(
            id: id,
            version: version,
            keepMonths: keep,
            downloadMonths: download,
            graceDays: grace,
            autoApproveMax: autoApprove,
            fourEyes: fourEyes
        )
    }
}
