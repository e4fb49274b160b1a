import DossierAPI
import DossierCore
import Foundation

extension Components.Schemas.RetentionPolicy {
    init(_ version: RetentionPolicyVersion) {
        self.init(
            id: version.policy.id,
            version: version.policy.version,
            keepMonths: version.policy.keepMonths,
            downloadMonths: version.policy.downloadMonths,
            graceDays: version.policy.graceDays,
            autoApproveMax: version.policy.autoApproveMax,
            fourEyes: version.policy.fourEyes,
            reason: version.reason,
            createdBy: version.createdBy?.description,
            createdAt: version.createdAt
        )
    }
}

extension Components.Schemas.LegalHold {
    init(_ hold: LegalHold) {
        self.init(
            id: hold.id.description,
            scope: .init(rawValue: hold.scope.rawValue) ?? .all,
            subjectId: hold.subjectID?.lowercasedString,
            reason: hold.reason,
            caseReference: hold.caseReference,
            placedBy: hold.placedBy.description,
            placedAt: hold.placedAt,
            releasedBy: hold.releasedBy?.description,
            releasedAt: hold.releasedAt,
            releaseReason: hold.releaseReason,
            active: hold.isActive
        )
    }
}

extension Components.Schemas.RetentionCounts {
    init(_ counts: RetentionCounts) {
        self.init(
            hide: counts.hide,
            purge: counts.purge,
            held: counts.held,
            hidden: counts.hidden,
            purged: counts.purged,
            changed: counts.changed,
            failed: counts.failed
        )
    }
}

extension Components.Schemas.RetentionRun {
    init(_ run: RetentionRun) {
        self.init(
            id: run.id.description,
            mode: .init(rawValue: run.mode.rawValue) ?? .dryRun,
            status: .init(rawValue: run.status.rawValue) ?? .planned,
            policyId: run.policyID,
            policyVersion: run.policyVersion,
            asOf: run.asOf.description,
            trigger: .init(rawValue: run.trigger.rawValue) ?? .admin,
            requestedBy: run.requestedBy?.description,
            approvedBy: run.approvedBy?.description,
            approvedAt: run.approvedAt,
            createdAt: run.createdAt,
            startedAt: run.startedAt,
            finishedAt: run.finishedAt,
            counts: .init(run.counts),
            windows: .init(
                active: run.windows.active,
                inDownloadWindow: run.windows.inDownloadWindow,
                pastDownloadWindow: run.windows.pastDownloadWindow,
                due: run.windows.due
            )
        )
    }
}

extension Components.Schemas.RetentionCandidate {
    init(_ candidate: RetentionCandidate) {
        self.init(
            portfolioId: candidate.portfolioID.description,
            traineeId: candidate.traineeID.description,
            completedAt: candidate.dates.completedAt.description,
            hideOn: candidate.dates.hideOn.description,
            deleteAfter: candidate.dates.deleteAfter.description,
            planned: .init(rawValue: candidate.planned.rawValue) ?? .held,
            holdId: candidate.holdID?.description,
            outcome: candidate.outcome.flatMap { .init(rawValue: $0.rawValue) }
        )
    }
}

extension Components.Schemas.RetentionCertificate {
    init(_ certificate: RetentionCertificate) {
        self.init(
            runId: certificate.runID.lowercasedString,
            mode: .init(rawValue: certificate.mode) ?? .dryRun,
            status: .init(rawValue: certificate.status) ?? .planned,
            policyId: certificate.policyID,
            policyVersion: certificate.policyVersion,
            asOf: certificate.asOf,
            trigger: .init(rawValue: certificate.trigger) ?? .admin,
            requestedBy: certificate.requestedBy?.lowercasedString,
            approvedBy: certificate.approvedBy?.lowercasedString,
            approvedAt: certificate.approvedAt,
            finishedAt: certificate.finishedAt,
            counts: .init(certificate.counts),
            firstSeq: certificate.firstSeq,
            lastSeq: certificate.lastSeq,
            chainHead: certificate.chainHead,
            issuedAt: certificate.issuedAt,
            algorithm: .hmacSha256,
            signature: certificate.signature
        )
    }
}

extension Components.Schemas.DisposalEvent {
    init(_ record: DisposalRecord) {
        self.init(
            seq: record.seq ?? 0,
            runId: record.runID.description,
            event: .init(rawValue: record.event.rawValue) ?? .planned,
            policyId: record.policyID,
            policyVersion: record.policyVersion,
            completedMonth: record.completedMonth.map { String($0.description.prefix(7)) },
            itemCount: record.itemCount,
            byteCount: record.byteCount,
            actor: record.actor,
            at: record.at
        )
    }
}
