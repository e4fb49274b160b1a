import DossierCore
import Prometheus

/// The worker's Prometheus figures (worker.md 6.8): counters kept by the process, and gauges read
/// from the database at each scrape, so every replica reports the same queue.
public struct WorkerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    func rescued(_ count: Int) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "worker_jobs_rescued",
                unitName: "total",
                helpText: "Jobs whose lease expired (their worker died) and were returned to the queue."
            )
        ).increment(by: Int64(count))
    }

    func finished(_ job: Job, state: String) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "worker_jobs_finished",
                unitName: "total",
                helpText: "Jobs this replica finished, by queue, kind and outcome (succeeded, retried, dead)."
            ),
            labels: [("queue", job.queue.rawValue), ("kind", job.kind), ("state", state)]
        ).increment()
    }

    func mail(_ outcome: DeliveryOutcome) {
        let label =
            switch outcome {
            case .sent: "sent"
            case .transient: "transient"
            case .permanent: "permanent"
            case .unknown: "unknown"
            }
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "worker_mail_attempts",
                unitName: "total",
                helpText: "SMTP delivery attempts of this replica by outcome (sent, transient, permanent, unknown)."
            ),
            labels: [("outcome", label)]
        ).increment()
    }

    func rescuedMail(pending: Int, unknown: Int) {
        let descriptor = MetricNameDescriptor(
            metricName: "worker_mail_rescued",
            unitName: "total",
            helpText: "Mail whose sender died: back to pending before the final dot, unknown after it."
        )
        registry.makeCounter(descriptor: descriptor, labels: [("to", "pending")]).increment(by: Int64(pending))
        registry.makeCounter(descriptor: descriptor, labels: [("to", "unknown")]).increment(by: Int64(unknown))
    }

    /// Sets the database-wide gauges, then renders everything in the text format.
    func scrape(_ snapshot: WorkerSnapshot) -> [UInt8] {
        let jobs = MetricNameDescriptor(
            metricName: "worker_jobs",
            helpText: "Jobs in the queue by queue, kind and state."
        )
        for (queue, kind, state, count) in snapshot.jobs {
            registry.makeGauge(descriptor: jobs, labels: [("queue", queue), ("kind", kind), ("state", state)])
                .set(Double(count))
        }
        let outbox = MetricNameDescriptor(
            metricName: "outbox_mail",
            helpText: "Mail in the outbox by status; unknown and failed need an admin (alert above 0)."
        )
        for status in OutboxRecord.Status.allCases {
            registry.makeGauge(descriptor: outbox, labels: [("status", status.rawValue)])
                .set(Double(snapshot.outbox[status.rawValue] ?? 0))
        }
        let gauges: [(String, String, Double)] = [
            (
                "worker_oldest_available_job_age_seconds", "Age of the oldest job waiting to run.",
                snapshot.oldestAvailableAge
            ),
            ("worker_dead_jobs", "Jobs that used all their attempts (alert above 0).", Double(snapshot.deadJobs)),
            (
                "retention_backlog_runs",
                "Retention runs approved more than 24 hours ago and not done (alert above 0).",
                Double(snapshot.retentionBacklog)
            ),
            (
                "retention_awaiting_approval_runs", "Retention runs waiting for an admin's approval.",
                Double(snapshot.awaitingApproval)
            ),
            ("legal_holds_active", "Active legal holds.", Double(snapshot.activeHolds)),
            (
                "worker_replicas_alive", "Worker replicas with a heartbeat in the last two minutes.",
                Double(snapshot.liveReplicas)
            ),
        ]
        for (name, help, value) in gauges {
            registry.makeGauge(descriptor: MetricNameDescriptor(metricName: name, helpText: help)).set(value)
        }
        return registry.emitToBuffer()
    }
}
