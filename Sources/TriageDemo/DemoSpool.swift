import Foundation
import TriageEngine

/// A small, realistic spool for `triage demo`: several projects and types, Unicode titles, a noisy
/// performance issue, a status change, a regression, and a few bad files that land in `failed/`.
/// Times are relative to `now`, so the demo always looks like a live incident.
public enum DemoSpool {
    struct Scenario {
        let project: Int
        let fingerprint: String
        let type: Int
        let title: String
        let subtitle: String
        let culprit: String
        let level: String
        let evidence: [(String, String, Bool)]
        /// Occurrences, and how many minutes ago the newest and oldest happened.
        let events: Int
        let newestMinutesAgo: Double
        let oldestMinutesAgo: Double
    }

    static let scenarios: [Scenario] = [
        Scenario(project: 1, fingerprint: "checkout-typeerror", type: 1, title: "TypeError: cannot read properties of undefined (reading 'id')",
                 subtitle: "orders.load_order", culprit: "app/views/orders.py in load_order", level: "error",
                 evidence: [("Exception", "TypeError", true), ("Release", "backend@2026.11.24", false)],
                 events: 120, newestMinutesAgo: 0.2, oldestMinutesAgo: 180),
        Scenario(project: 1, fingerprint: "orders-n-plus-one", type: 1006, title: "N+1 Query on /api/orders",
                 subtitle: "SELECT * FROM order_items WHERE order_id = %s", culprit: "GET /api/orders", level: "warning",
                 evidence: [("Offending Spans", "db - SELECT * FROM order_items WHERE order_id = %s", true),
                            ("Parent Span", "http.server - GET /api/orders", false), ("Repeated", "48 times", false)],
                 events: 14, newestMinutesAgo: 3, oldestMinutesAgo: 90),
        Scenario(project: 1, fingerprint: "poll-service-checkin", type: 4001, title: "Monitor failure: poll_service",
                 subtitle: "A missed check-in was detected", culprit: "cron poll_service", level: "error",
                 evidence: [("Failure reason", "A missed check-in was detected", true), ("Environment", "us", false),
                            ("Last successful check-in", "Never", false)],
                 events: 7, newestMinutesAgo: 55, oldestMinutesAgo: 400),
        Scenario(project: 2, fingerprint: "payments-gateway-timeout", type: 1, title: "支払いゲートウェイがタイムアウトしました (payment gateway timeout)",
                 subtitle: "PaymentClient.charge", culprit: "payments/client.go in Charge", level: "fatal",
                 evidence: [("Gateway", "stripe-eu", true), ("Timeout", "30 s", false)],
                 events: 42, newestMinutesAgo: 1, oldestMinutesAgo: 30),
        Scenario(project: 2, fingerprint: "feed-json-main-thread", type: 2003, title: "JSON decoding on main thread 🐢",
                 subtitle: "FeedViewModel.reload", culprit: "MainActor.decodeFeed", level: "warning",
                 evidence: [("Function", "JSONDecoder.decode(_:from:)", true), ("Duration", "412 ms", false)],
                 events: 9, newestMinutesAgo: 20, oldestMinutesAgo: 600),
        Scenario(project: 2, fingerprint: "uptime-api", type: 7001, title: "Uptime check failed for api.example.com",
                 subtitle: "HTTP 503 from 3 regions", culprit: "https://api.example.com/health", level: "error",
                 evidence: [("Status", "503 Service Unavailable", true), ("Regions", "eu, us, ap", false)],
                 events: 5, newestMinutesAgo: 2, oldestMinutesAgo: 12),
        Scenario(project: 3, fingerprint: "search-index-lock", type: 1, title: "Timeout waiting for lock on search index",
                 subtitle: "IndexWriter.commit", culprit: "search/index.rs in commit", level: "warning",
                 evidence: [("Lock", "segments.lock", true), ("Waited", "10 s", false)],
                 events: 3, newestMinutesAgo: 240, oldestMinutesAgo: 2000),
        Scenario(project: 3, fingerprint: "rage-click-export", type: 5002, title: "Rage click on \"Export CSV\"",
                 subtitle: "button#export", culprit: "web /reports", level: "info",
                 evidence: [("Selector", "button#export", true), ("Clicks", "11 in 2 s", false)],
                 events: 4, newestMinutesAgo: 35, oldestMinutesAgo: 300),
        Scenario(project: 3, fingerprint: "feedback-export", type: 6001, title: "User feedback: export button does nothing",
                 subtitle: "from maria@example.com", culprit: "web /reports", level: "info",
                 evidence: [("Message", "I click export and nothing happens.", true)],
                 events: 1, newestMinutesAgo: 33, oldestMinutesAgo: 33),
        Scenario(project: 1, fingerprint: "escape-in-title", type: 1, title: "Bad input echoed: \u{1B}]0;pwned\u{07}\u{1B}[2J title with escapes",
                 subtitle: "a producer copied raw terminal output", culprit: "ingest/echo.py in render", level: "error",
                 evidence: [("Raw", "\u{1B}[31mred\u{1B}[0m", true)],
                 events: 2, newestMinutesAgo: 15, oldestMinutesAgo: 16),
    ]

    /// Writes the demo spool into `directory`; returns the number of files written.
    @discardableResult
    public static func write(to directory: String, now: Double) throws -> Int {
        try PrivateDirectory.create(directory)
        var random = SplitMix64(seed: 2026)
        var files = 0
        for (index, scenario) in scenarios.enumerated() {
            var lines: [String] = []
            for event in 0..<scenario.events {
                let fraction = scenario.events == 1 ? 0 : Double(event) / Double(scenario.events - 1)
                let minutesAgo = scenario.oldestMinutesAgo - (scenario.oldestMinutesAgo - scenario.newestMinutesAgo) * fraction
                lines.append(occurrence(scenario, time: now - minutesAgo * 60, random: &random))
            }
            try write(lines, directory: directory, name: "demo-\(index + 10)-\(scenario.fingerprint).jsonl")
            files += 1
        }
        // The search-index lock was resolved and then came back: a regression.
        try write([statusChange(project: 3, fingerprint: "search-index-lock", status: 1, substatus: nil)],
                  directory: directory, name: "demo-30-resolve-search.json")
        try write([occurrence(scenarios[6], time: now - 60, random: &random)], directory: directory, name: "demo-31-search-again.json")
        // Broken producers: the rest of the spool keeps flowing, these land in failed/ with reasons.
        try write(["{\"id\": \"not-a-uuid\", \"project_id\": 1"], directory: directory, name: "demo-40-truncated.json")
        var wrongType = occurrence(scenarios[0], time: now - 5, random: &random)
        wrongType = wrongType.replacingOccurrences(of: "\"type\":1,", with: "\"type\":4242,")
        try write([wrongType], directory: directory, name: "demo-41-unknown-type.json")
        return files + 4
    }

    /// One more occurrence of a demo scenario, at `now`, as a producer would drop it: the demo's live
    /// trickle, so the list visibly moves while you watch. `sequence` picks the scenario and names the file.
    public static func writeLiveOccurrence(to directory: String, now: Double, sequence: Int) throws {
        var random = SplitMix64(seed: 7_000 + UInt64(sequence))
        // Mostly the busy ones (as in a real incident), sometimes any of the rest.
        let busy = [0, 2, 6]
        let index = sequence % 3 == 2 ? Int(random.next() % UInt64(scenarios.count - 1)) : busy[sequence % busy.count]
        try write([occurrence(scenarios[index], time: now, random: &random)], directory: directory,
                  name: "live-\(String(format: "%06d", sequence)).json")
    }

    private static func write(_ lines: [String], directory: String, name: String) throws {
        try SpoolGenerator.writeAtomically(Array((lines.joined(separator: "\n") + "\n").utf8), directory: directory, name: name)
    }

    private static func occurrence(_ scenario: Scenario, time: Double, random: inout SplitMix64) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.field("id", random.uuidHex())
        json.field("project_id", scenario.project)
        json.key("fingerprint")
        json.beginArray()
        json.value(scenario.fingerprint)
        json.endArray()
        json.field("issue_title", scenario.title)
        json.field("subtitle", scenario.subtitle)
        json.field("culprit", scenario.culprit)
        json.field("type", scenario.type)
        json.field("detection_time", time)
        json.field("level", scenario.level)
        json.key("evidence_display")
        json.beginArray()
        for (name, value, important) in scenario.evidence {
            json.beginObject()
            json.field("name", name)
            json.field("value", value)
            json.field("important", important)
            json.endObject()
        }
        json.endArray()
        json.key("evidence_data")
        json.raw(Array(#"{"source":"demo","detector":{"name":"triage-demo","version":1}}"#.utf8))
        json.key("event")
        json.beginObject()
        json.field("event_id", random.uuidHex())
        json.field("project_id", scenario.project)
        json.field("platform", "python")
        json.field("environment", "production")
        json.field("received", time)
        json.field("timestamp", time)
        json.key("user")
        json.raw(Array("{\"id\":\"user-\(random.next() % 40)\"}".utf8))
        json.key("tags")
        json.raw(Array("{\"region\":\"eu-\(scenario.project)\",\"release\":\"backend@2026.11.24\"}".utf8))
        json.endObject()
        json.endObject()
        return json.text
    }

    private static func statusChange(project: Int, fingerprint: String, status: Int, substatus: Int?) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.field("payload_type", "status_change")
        json.field("project_id", project)
        json.key("fingerprint")
        json.beginArray()
        json.value(fingerprint)
        json.endArray()
        json.field("new_status", status)
        json.field("new_substatus", substatus)
        json.endObject()
        return json.text
    }
}
