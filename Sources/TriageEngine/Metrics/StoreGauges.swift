import GRDB
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
                             helpText: "Notification deliveries not yet made (waiting or retrying).")
    }

    public static func update(_ metrics: TriageMetrics, from store: SQLiteStore) throws {
        let (byStatus, held, pending) = try store.read { db in
            (try Row.fetchAll(db, sql: "SELECT status, count(*) AS groups FROM groups GROUP BY status"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM occurrences WHERE group_id IS NULL") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM notification_deliveries WHERE delivered_at IS NULL") ?? 0)
        }
        let counts = Dictionary(uniqueKeysWithValues: byStatus.map { (row: Row) -> (Int, Int) in (row["status"], row["groups"]) })
        for status in GroupStatus.allCases {
            metrics.registry.makeGauge(descriptor: groups, labels: [("status", status.name)]).set(Double(counts[status.rawValue] ?? 0))
        }
        metrics.registry.makeGauge(descriptor: noiseHeld).set(Double(held))
        metrics.registry.makeGauge(descriptor: pendingDeliveries).set(Double(pending))
    }
}
