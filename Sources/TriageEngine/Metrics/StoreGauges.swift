import Prometheus

/// What the store holds right now, as gauges: groups by status, occurrences held as noise,
/// notifications waiting for delivery.
public enum StoreGauges {
    static var groups: MetricNameDescriptor { MetricNameDescriptor(namespace: "triage", metricName: "groups", unitName: "", helpText: "Groups in the store, by status.") }
    static var noiseHeld: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "triage", metricName: "noise_held_occurrences", unitName: "",
                             helpText: "Occurrences held below their type's noise limit.")
    }
    static var pendingDeliveries: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "triage", metricName: "notification_deliveries_pending", unitName: "",
                             helpText: "Notification deliveries not yet made (not tried yet, or retrying).")
    }

    package static func update(_ metrics: TriageMetrics, from store: any MetricsStore) throws {
        let counts = try store.gaugeCounts()
        for status in GroupStatus.allCases {
            metrics.registry.makeGauge(descriptor: groups, labels: [("status", status.name)]).set(Double(counts.groupsByStatus[status.rawValue] ?? 0))
        }
        metrics.registry.makeGauge(descriptor: noiseHeld).set(Double(counts.noiseHeld))
        metrics.registry.makeGauge(descriptor: pendingDeliveries).set(Double(counts.pendingDeliveries))
    }
}
