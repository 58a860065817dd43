import Foundation
import Logging
import Testing
@testable import TriageEngine
import TriageTestSupport

@Suite struct MetricsTests {
    /// A deterministic stand-in for the random sampler.
    private final class Sequence: @unchecked Sendable {
        private var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        private let lock = NSLock()

        func next() -> Double {
            lock.withLock {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Double(state >> 11) / Double(1 << 53)
            }
        }
    }

    private func value(_ exposition: String, _ series: String) -> Double? {
        exposition.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last!) }
    }

    @Test func test_sampledCountersAreScaledSoTotalsStayUnbiased() {
        let always = TriageMetrics(sample: { 0.05 })
        always.increment("hits_total")
        #expect(value(always.exposition(), "hits_total") == 10, "one counted call at 1 in 10 stands for ten")
        let never = TriageMetrics(sample: { 0.5 })
        never.increment("hits_total")
        #expect(value(never.exposition(), "hits_total") == nil)

        let sequence = Sequence()
        let sampled = TriageMetrics(sample: { sequence.next() })
        for _ in 0..<20_000 { sampled.increment("hits_total", tags: [("kind", "a")]) }
        let total = value(sampled.exposition(), #"hits_total{kind="a"}"#) ?? 0
        #expect(abs(total - 20_000) < 20_000 * 0.05, "the estimate is within 5% of the truth: \(total)")
        let rare = TriageMetrics(sample: { 0.99 })
        rare.increment("rare_total", by: 3, sampleRate: 1)
        #expect(value(rare.exposition(), "rare_total") == 3, "rate 1 counts every call")
    }

    @Test func test_aKnownIngestGivesKnownCountersThatCarryOverToTheNextProcess() throws {
        // A noisy custom type: its first two occurrences per key are held.
        let registry = try TriageConfig.parse("""
            [[types]]
            id = 9001
            slug = "noisy"
            category = 1
            released = true
            noise = { ignore_limit = 3, expiry_time = 3600 }
            """, source: "test.toml").registry
        let workspace = try Workspace(registry: registry)
        let metrics = TriageMetrics()
        let analyticsPath = workspace.directory.path + "/analytics.jsonl"
        let analytics = Analytics(sink: AnalyticsSink(path: analyticsPath, maxBytes: 1 << 20, keep: 1))
        let notifications = workspace.directory.path + "/notifications.jsonl"
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        func ingest() throws {
            let courier = try NotificationCourier(store: workspace.store, notifiers: [.jsonl(name: "log", path: notifications)],
                                                  metrics: metrics, logger: quiet)
            _ = try SpoolIngestor(store: workspace.store, spool: workspace.spool, logger: quiet, notifications: courier,
                                  analytics: analytics, metrics: metrics).ingestAvailable()
            courier.finish()
        }
        workspace.drop("a.jsonl", [PayloadBuilder(id: 1, fingerprint: "a").json, PayloadBuilder(id: 2, fingerprint: "b").json,
                                   PayloadBuilder(id: 2, fingerprint: "b").json, "{not json",
                                   PayloadBuilder(id: 10, fingerprint: "n", type: 9001).json,
                                   PayloadBuilder(id: 11, fingerprint: "n", type: 9001).json].joined(separator: "\n"))
        workspace.drop("b.json", "[]")
        try ingest()
        _ = try workspace.store.apply(.resolve, to: [1], actor: nil)
        workspace.drop("c.json", PayloadBuilder(id: 3, fingerprint: "a", time: 1_790_000_100).json)
        try ingest()
        let text = metrics.exposition()
        #expect(value(text, #"triage_occurrences_total{outcome="accepted"}"#) == 5)
        #expect(value(text, #"triage_occurrences_total{outcome="noise_held"}"#) == 2)
        #expect(value(text, #"triage_notifications_total{outcome="sent"}"#) == 3, "two new groups and a regression")
        #expect(value(text, #"triage_occurrences_total{outcome="duplicate"}"#) == 1)
        #expect(value(text, #"triage_occurrences_total{outcome="rejected"}"#) == 2)
        #expect(value(text, "triage_groups_created_total") == 2)
        #expect(value(text, #"triage_status_changes_total{cause="rule:regression"}"#) == 1)
        #expect(value(text, #"triage_spool_files_total{outcome="processed"}"#) == 2)
        #expect(value(text, #"triage_spool_files_total{outcome="failed"}"#) == 1)
        #expect(value(text, "triage_ingest_latency_seconds_count") == 3)
        let failed = try String(contentsOfFile: analyticsPath, encoding: .utf8).split(separator: "\n")
        #expect(failed.count == 1)
        #expect(failed.first?.contains(#""type":"ingest.file_failed""#) == true)
        #expect(failed.first?.contains(#""file":"b.json""#) == true)

        let next = TriageMetrics()
        try next.load(from: workspace.store)
        try StoreGauges.update(next, from: workspace.store)
        let reloaded = next.exposition()
        #expect(value(reloaded, #"triage_occurrences_total{outcome="accepted"}"#) == 5, "totals persist across processes")
        #expect(value(reloaded, "triage_noise_held_occurrences") == 2)
        #expect(value(reloaded, #"triage_status_changes_total{cause="rule:regression"}"#) == 1)
        #expect(value(reloaded, #"triage_groups{status="unresolved"}"#) == 2)
        #expect(value(reloaded, #"triage_groups{status="resolved"}"#) == 0)
        next.increment(MetricNames.groupsCreated, sampleRate: 1)
        try next.persist(into: workspace.store)
        try next.persist(into: workspace.store)
        let third = TriageMetrics()
        try third.load(from: workspace.store)
        #expect(value(third.exposition(), "triage_groups_created_total") == 3, "persist adds only what is new, once")
    }
}
