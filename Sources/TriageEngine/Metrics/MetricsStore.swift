import GRDB

/// Where counter totals are kept and the store's gauges are read: SQLite's file and the team store
/// alike, so `triage metrics`, `link` and the TUI keep their counts on either.
package protocol MetricsStore: Sendable {
    /// Every stored counter: its name, its labels as `CounterKey.encodedLabels`, its total.
    func counterTotals() throws -> [(name: String, labels: String, value: Double)]
    /// Adds each amount to its counter's total, in one transaction.
    func addToCounters(_ amounts: [(name: String, labels: String, value: Double)]) throws
    /// What `StoreGauges` reports: groups by status value, occurrences held as noise, deliveries pending.
    func gaugeCounts() throws -> StoreGaugeCounts
}

package struct StoreGaugeCounts: Sendable {
    package let groupsByStatus: [Int: Int]
    package let noiseHeld: Int
    package let pendingDeliveries: Int

    package init(groupsByStatus: [Int: Int], noiseHeld: Int, pendingDeliveries: Int) {
        self.groupsByStatus = groupsByStatus
        self.noiseHeld = noiseHeld
        self.pendingDeliveries = pendingDeliveries
    }

    /// The three counts' statements, the same on both stores.
    package static let byStatusSQL = "SELECT status, count(*) AS groups FROM groups GROUP BY status"
    package static let noiseHeldSQL = "SELECT count(*) AS n FROM occurrences WHERE group_id IS NULL"
    /// Every notification each notifier is still to deliver: those not tried yet have no delivery row at all.
    package static let pendingSQL = """
        SELECT count(*) AS n FROM notifications n
        JOIN notifiers r ON n.id > r.after_id
        LEFT JOIN notification_deliveries d ON d.notification_id = n.id AND d.notifier = r.name
        WHERE d.delivered_at IS NULL
        """
    /// Adds to a total, or starts it.
    package static let addSQL = """
        INSERT INTO metric_counters (name, labels, value) VALUES (?, ?, ?)
        ON CONFLICT (name, labels) DO UPDATE SET value = metric_counters.value + excluded.value
        """
}

extension SQLiteStore: MetricsStore {
    package func counterTotals() throws -> [(name: String, labels: String, value: Double)] {
        try read { db in try Row.fetchAll(db, sql: "SELECT name, labels, value FROM metric_counters") }
            .map { (name: $0["name"], labels: $0["labels"], value: $0["value"]) }
    }

    package func addToCounters(_ amounts: [(name: String, labels: String, value: Double)]) throws {
        try write { db in
            for amount in amounts { try db.execute(sql: StoreGaugeCounts.addSQL, arguments: [amount.name, amount.labels, amount.value]) }
        }
    }

    package func gaugeCounts() throws -> StoreGaugeCounts {
        try read { db in
            let byStatus = try Row.fetchAll(db, sql: StoreGaugeCounts.byStatusSQL)
            return StoreGaugeCounts(groupsByStatus: Dictionary(byStatus.map { (row: Row) -> (Int, Int) in (row["status"], row["groups"]) },
                                                               uniquingKeysWith: +),
                                    noiseHeld: try Int.fetchOne(db, sql: StoreGaugeCounts.noiseHeldSQL) ?? 0,
                                    pendingDeliveries: try Int.fetchOne(db, sql: StoreGaugeCounts.pendingSQL) ?? 0)
        }
    }
}
