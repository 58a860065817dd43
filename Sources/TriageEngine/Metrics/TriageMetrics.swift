import CoreMetrics
import Foundation
import Prometheus

/// Counters and timers (spec §7) through swift-metrics, kept in a Prometheus registry.
///
/// Counter totals are also added to the store after each ingest pass (`persist`), and a new process
/// starts from them (`load`), so `triage metrics` and a restarted exporter carry on rather than
/// restart at zero. A process killed between a commit and `persist` loses that pass's counts; the
/// store's own tables (ledger, history, deliveries) stay the exact record. Timers live in the
/// process only.
public final class TriageMetrics: @unchecked Sendable {
    public let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    /// Uniform in [0, 1): decides which sampled increments count. Injected by tests.
    private let sample: @Sendable () -> Double
    private let lock = NSLock()
    private var unsaved: [CounterKey: Double] = [:]

    public init(sample: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        factory = PrometheusMetricsFactory(registry: registry)
        self.sample = sample
    }

    /// Adds `amount` to a counter. With `sampleRate` below 1 only that fraction of calls count, each
    /// scaled by 1 / rate so totals stay unbiased; the default is 1 in 10 (spec §7), and rare events
    /// pass 1.0.
    /// A counter only grows: an amount below 1 is dropped (the Prometheus counter traps on a negative one).
    public func increment(_ name: String, by amount: Int = 1, tags: [(String, String)] = [], sampleRate: Double = 0.1) {
        guard amount > 0, sampleRate > 0 else { return }
        if sampleRate < 1, sample() >= sampleRate { return }
        add(name, tags: tags, Double(amount) / min(1, sampleRate), unsaved: true)
    }

    public func recordSeconds(_ name: String, _ seconds: Double, tags: [(String, String)] = []) {
        recordSeconds(name, [seconds], tags: tags)
    }

    /// Many observations through one timer: making a timer looks it up in the registry, which cost
    /// more than the observation (a pass of 50,000 one-payload files records 50,000 latencies).
    public func recordSeconds(_ name: String, _ observations: [Double], tags: [(String, String)] = []) {
        let timer = CoreMetrics.Timer(label: name, dimensions: tags, factory: factory)
        // Clamped to a century: a file dated centuries off (anyone may date one) would not fit 64 bits of nanoseconds.
        for seconds in observations where !seconds.isNaN { timer.recordNanoseconds(Int64(min(max(0, seconds), 3.2e9) * 1e9)) }
    }

    /// The current values in Prometheus' text exposition format, each family with its `# HELP`.
    public func exposition() -> String {
        var lines: [Substring] = []
        var helped: Set<Substring> = []
        for line in registry.emitToString().split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("# HELP ") { helped.insert(line.dropFirst(7).prefix { $0 != " " }) }
            if line.hasPrefix("# TYPE ") {
                let name = line.dropFirst(7).prefix { $0 != " " }
                if !helped.contains(name), let help = MetricNames.help[String(name)] { lines.append("# HELP \(name) \(help)") }
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// Starts the counters from the totals in the store.
    package func load(from store: any MetricsStore) throws {
        for total in try store.counterTotals() {
            let key = CounterKey(name: total.name, labels: CounterKey.decode(total.labels))
            add(key.name, tags: key.labels, total.value, unsaved: false)
        }
    }

    /// Adds what was counted since the last call to the totals in the store.
    package func persist(into store: any MetricsStore) throws {
        let pending = lock.withLock { () -> [CounterKey: Double] in
            defer { unsaved.removeAll() }
            return unsaved
        }
        guard !pending.isEmpty else { return }
        do {
            try store.addToCounters(pending.map { (name: $0.key.name, labels: $0.key.encodedLabels, value: $0.value) })
        } catch {
            lock.withLock { unsaved.merge(pending, uniquingKeysWith: +) }
            throw error
        }
    }

    private func add(_ name: String, tags: [(String, String)], _ value: Double, unsaved remember: Bool) {
        let labels = tags.sorted { $0.0 < $1.0 }
        FloatingPointCounter(label: name, dimensions: labels, factory: factory).increment(by: value)
        if remember { lock.withLock { unsaved[CounterKey(name: name, labels: labels), default: 0] += value } }
    }
}

/// A counter's identity: its name and sorted labels.
struct CounterKey: Hashable {
    let name: String
    let labels: [(String, String)]

    static func == (lhs: CounterKey, rhs: CounterKey) -> Bool {
        lhs.name == rhs.name && lhs.labels.map(\.0) == rhs.labels.map(\.0) && lhs.labels.map(\.1) == rhs.labels.map(\.1)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        for (key, value) in labels { hasher.combine(key); hasher.combine(value) }
    }

    /// `[["cause","user"],...]`.
    var encodedLabels: String {
        var json = JSONWriter()
        json.beginArray()
        for (key, value) in labels {
            json.beginArray()
            json.value(key)
            json.value(value)
            json.endArray()
        }
        json.endArray()
        return json.text
    }

    static func decode(_ text: String) -> [(String, String)] {
        guard let document = try? JSONDocument(bytes: Array(text.utf8), maxDepth: 4) else { return [] }
        return document.root.elements.compactMap { pair in
            let parts = Array(pair.elements)
            guard parts.count == 2, let key = parts[0].string, let value = parts[1].string else { return nil }
            return (key, value)
        }
    }
}
