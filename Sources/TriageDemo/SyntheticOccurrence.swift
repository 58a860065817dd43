import Foundation
import TriageEngine

/// One generated occurrence for group `group` (or for a noise-gated key).
struct SyntheticOccurrence {
    let bytes: [UInt8]

    static let kinds: [(typeID: Int, title: String, culprit: String, level: String)] = [
        (1, "TypeError: cannot read properties of undefined (reading 'id')", "app/views/orders.py in load_order", "error"),
        (1, "KeyError: 'customer' in checkout", "app/checkout/cart.py in total", "error"),
        (1, "ConnectionResetError: peer closed connection", "net/pool.go in Acquire", "fatal"),
        (1, "Timeout waiting for lock on inventory", "inventory/locks.rs in acquire", "warning"),
        (1006, "N+1 Query on /api/orders", "GET /api/orders", "warning"),
        (1001, "Slow DB Query: SELECT * FROM events WHERE ...", "GET /api/events", "info"),
        (4001, "Monitor failure: poll_service", "cron poll_service", "error"),
        (2003, "JSON decoding on main thread", "MainActor.decodeFeed", "warning"),
        (6001, "User feedback: export button does nothing", "web /reports", "info"),
        (7001, "Uptime check failed for api.example.com", "https://api.example.com/health", "error"),
    ]

    /// Most groups are errors; the rest cycle through the other kinds.
    static func kind(of group: Int) -> Int { group % 10 < 6 ? group % 4 : 4 + group % 6 }

    static func project(of group: Int, projects: Int) -> Int { 1 + group % max(1, projects) }

    /// Whether the group's type has a noise limit (its key may not have formed a group yet).
    static func isNoiseGated(_ group: Int) -> Bool {
        let typeID = kinds[kind(of: group)].typeID
        return typeID == 1006 || typeID == 1001
    }

    init(group: Int, projects: Int, time: Double, users: Int, style: SpoolGenerator.Style, random: inout SplitMix64) {
        self.init(fingerprint: "fp-\(group)", number: group, kind: Self.kinds[Self.kind(of: group)],
                  project: Self.project(of: group, projects: projects), time: time, users: users, style: style, random: &random)
    }

    /// Noise keys alternate between a limit-3 type (N+1 queries) and a limit-100 one (slow DB query).
    init(noiseKey key: Int, projects: Int, time: Double, users: Int, style: SpoolGenerator.Style, random: inout SplitMix64) {
        self.init(fingerprint: "noise-\(key)", number: key, kind: Self.kinds[key % 2 == 0 ? 4 : 5],
                  project: Self.project(of: key, projects: projects), time: time, users: users, style: style, random: &random)
    }

    private init(fingerprint: String, number: Int, kind: (typeID: Int, title: String, culprit: String, level: String),
                 project: Int, time: Double, users: Int, style: SpoolGenerator.Style, random: inout SplitMix64) {
        let id = random.uuidHex()
        let eventID = random.uuidHex()
        let user = random.next() % UInt64(max(1, users))
        let duration = 50 + random.next() % 5000
        let detection: String
        let eventTimes: String
        let sentryOnly: String
        switch style {
        case .triage:
            detection = String(format: "%.3f", time)
            eventTimes = #""received":\#(String(format: "%.3f", time + 0.2)),"timestamp":\#(detection)"#
            sentryOnly = #""culprit":"\#(kind.culprit)","level":"\#(kind.level)","#
        case .sentry:
            detection = "\"\(Self.naiveISO(time))\""
            eventTimes = #""received":"\#(Self.naiveISO(time + 0.2))","timestamp":\#(detection),"stacktrace":{"frames":[{"function":"load_order","module":"app.views.orders","lineno":\#(40 + number % 60),"in_app":true},{"function":"0x0","in_app":false,"data":{"symbolicated":true}}]}"#
            sentryOnly = #""resource_id":"\#(number)","#
        }
        let text = """
            {"id":"\(id)","project_id":\(project),"fingerprint":["\(fingerprint)","shape-\(number % 97)"],\
            "issue_title":"\(kind.title) #\(number)","subtitle":"seen on host-\(number % 17) in region eu-\(number % 3)",\
            \(sentryOnly)"type":\(kind.typeID),"detection_time":\(detection),\
            "evidence_display":[{"name":"Failure reason","value":"\(kind.title)","important":true},\
            {"name":"Duration","value":"\(duration) ms","important":false},{"name":"Host","value":"host-\(number % 17)","important":false}],\
            "evidence_data":{"op":"db.query","duration_ms":\(duration),"span_ids":["\(id.prefix(16))","\(eventID.prefix(16))"],\
            "parameters":{"limit":50,"offset":\(user)}},\
            "event":{"project_id":\(project),"event_id":"\(eventID)","platform":"python","environment":"production",\
            \(eventTimes),\
            "release":"backend@2026.11.\(number % 28 + 1)","user":{"id":"user-\(user)","ip_address":"10.0.\(user % 256).\(user / 256 % 256)"},\
            "tags":{"server_name":"host-\(number % 17)","region":"eu-\(number % 3)","transaction":"\(kind.culprit)"},\
            "sdk":{"name":"sentry.python","version":"2.18.0"}}}
            """
        bytes = Array(text.utf8)
    }

    /// What Python's `datetime.isoformat()` writes for a naive UTC time: no zone, microseconds.
    static func naiveISO(_ seconds: Double) -> String {
        let whole = seconds.rounded(.down)
        let stamp = ISOTime.format(whole)  // 2026-01-02T03:04:05.000Z
        let micros = min(999_999, Int(((seconds - whole) * 1_000_000).rounded()))
        let digits = String(micros)
        return stamp.prefix(19) + "." + String(repeating: "0", count: 6 - digits.count) + digits
    }
}
