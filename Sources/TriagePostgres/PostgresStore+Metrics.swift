import GRDB
import TriageEngine

/// Counter totals and gauges on the team store, with the statements SQLite's store runs.
extension PostgresStore: MetricsStore {
    package func counterTotals() throws -> [(name: String, labels: String, value: Double)] {
        try session.query("SELECT name, labels, value FROM metric_counters").map {
            (name: $0.get("name") ?? "", labels: $0.get("labels") ?? "[]", value: $0.get("value") ?? 0)
        }
    }

    package func addToCounters(_ amounts: [(name: String, labels: String, value: Double)]) throws {
        try session.transaction { transaction in
            for amount in amounts {
                try transaction.query(StoreGaugeCounts.addSQL, [amount.name.databaseValue, amount.labels.databaseValue, amount.value.databaseValue])
            }
        }
    }

    package func gaugeCounts() throws -> StoreGaugeCounts {
        try session.transaction { transaction in
            let byStatus = try transaction.query(StoreGaugeCounts.byStatusSQL)
            let counts = byStatus.map { (record: PostgresRecord) -> (Int, Int) in (record.get("status") ?? 0, record.get("groups") ?? 0) }
            return StoreGaugeCounts(groupsByStatus: Dictionary(counts, uniquingKeysWith: +),
                                    noiseHeld: try transaction.query(StoreGaugeCounts.noiseHeldSQL).first?.get("n") ?? 0,
                                    pendingDeliveries: try transaction.query(StoreGaugeCounts.pendingSQL).first?.get("n") ?? 0)
        }
    }
}
