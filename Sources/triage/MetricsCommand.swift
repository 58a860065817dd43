import ArgumentParser
import TriageEngine

struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Print the counters in Prometheus' text format (totals kept in the store), with the store's current gauges.",
        discussion: "A running `triage ingest --follow --metrics-addr HOST:PORT` serves the same at /metrics, with its timers."
    )

    @OptionGroup var locations: Locations

    func run() throws {
        let config = try locations.loadConfig()
        let store = try locations.openIssueStoreForReading(config)
        let metrics = TriageMetrics()
        try metrics.load(from: store)
        try StoreGauges.update(metrics, from: store)
        print(metrics.exposition(), terminator: "")
    }
}
