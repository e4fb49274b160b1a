import Prometheus

/// Request counts and latency histograms per route, in a registry owned by the application
/// (not the process-global metrics system), so every test app has its own figures.
public struct HTTPMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    private static let buckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]

    private static var requests: MetricNameDescriptor {
        MetricNameDescriptor(
            metricName: "http_requests",
            unitName: "total",
            helpText: "HTTP requests by method, route template and status."
        )
    }
    private static var latency: MetricNameDescriptor {
        MetricNameDescriptor(
            metricName: "http_request_duration",
            unitName: "seconds",
            helpText: "HTTP request latency by method and route template."
        )
    }

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    func record(method: String, route: String, status: Int, duration: Duration) {
        registry.makeCounter(
            descriptor: Self.requests,
            labels: [("method", method), ("route", route), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: Self.latency,
            labels: [("method", method), ("route", route)],
            buckets: Self.buckets
        ).recordNanoseconds(duration.nanoseconds)
    }
}
