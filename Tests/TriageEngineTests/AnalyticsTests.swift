import Foundation
import Testing
@testable import TriageEngine
import TriageTestSupport

@Suite struct AnalyticsTests {
    private func lines(_ path: String) -> [[String: Any]] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    @Test func test_theRegistryKnowsTheEventsAndTheirRequiredAttributes() throws {
        let registry = AnalyticsRegistry.builtIn
        #expect(registry.names == ["ingest.file_failed", "issue.ignored", "issue.resolved", "issue.unresolved", "issue_tracker.used"])
        let used: [String: AnalyticsValue?] = ["default_user_id": "alice", "organization_id": 1, "project_id": 2, "issue_tracker": "github", "group_id": 3]
        try registry.validate("issue_tracker.used", used)
        try registry.validate("issue_tracker.used", used.merging(["user_id": nil]) { $1 })
        #expect(throws: AnalyticsError.unknownEvent("team.created")) { try registry.validate("team.created", [:]) }
        #expect(throws: AnalyticsError.missingAttribute(event: "issue_tracker.used", attribute: "default_user_id")) {
            try registry.validate("issue_tracker.used", used.merging(["default_user_id": nil]) { $1 })
        }
        #expect(throws: AnalyticsError.unknownAttribute(event: "issue_tracker.used", attribute: "tracker")) {
            try registry.validate("issue_tracker.used", used.merging(["tracker": "x"]) { $1 })
        }
        var twice = AnalyticsRegistry()
        try twice.register(AnalyticsEventType("a.b", []))
        #expect(throws: AnalyticsError.duplicateEvent("a.b")) { try twice.register(AnalyticsEventType("a.b", [])) }
    }

    @Test func test_recordingAnInvalidEventStopsADebugBuild() async {
        await #expect(processExitsWith: .failure) {
            Analytics.disabled.record("issue.resolved", ["group_id": 1])
        }
    }

    @Test func test_eventsAreAppendedAsJSONLinesWithTypeTimeAndData() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/nested/analytics.jsonl"
        let analytics = Analytics(sink: AnalyticsSink(path: path, maxBytes: 1 << 20, keep: 3), clock: ManualClock(1_790_000_000))
        analytics.record("ingest.file_failed", ["file": "a.json", "reason": "invalid UTF-8 at byte 3", "errors": 1, "bytes": nil])
        let events = lines(path)
        #expect(events.count == 1)
        #expect(events[0]["type"] as? String == "ingest.file_failed")
        #expect(events[0]["timestamp"] as? String == "2026-09-21T14:13:20.000Z")
        #expect((events[0]["uuid"] as? String)?.count == 36)
        let data = try #require(events[0]["data"] as? [String: Any])
        #expect(data["reason"] as? String == "invalid UTF-8 at byte 3")
        #expect(data["errors"] as? Int == 1)
        #expect(data["bytes"] is NSNull)
        var status = stat()
        stat(path, &status)
        #expect(status.st_mode & 0o777 == 0o600)
    }

    @Test func test_theSinkRotatesBySizeAndKeepsTheNewestFiles() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/analytics.jsonl"
        let sink = AnalyticsSink(path: path, maxBytes: 4096, keep: 2)
        let line = Array(String(repeating: "x", count: 999).utf8)  // 1000 bytes with its newline
        for _ in 0..<13 { try sink.append(line) }
        #expect(directory.files() == ["analytics.jsonl", "analytics.jsonl.1", "analytics.jsonl.2"])
        let sizes = directory.files().map { name in (try? FileManager.default.attributesOfItem(atPath: directory.path + "/" + name)[.size] as? Int) ?? -1 }
        #expect(sizes == [1000, 4000, 4000], "13 lines: 4 + 4 in the kept rotations, 1 current; the oldest 4 fell off")
    }

    @Test func test_concurrentWritersNeverInterleaveOrLoseLines() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/analytics.jsonl"
        let writers = 4
        let perWriter = 200
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    let analytics = Analytics(sink: AnalyticsSink(path: path, maxBytes: 64 * 1024, keep: 50))
                    for index in 0..<perWriter {
                        analytics.record("ingest.file_failed", ["file": .string("w\(writer)-\(index).json"), "reason": "r", "errors": 1])
                    }
                }
            }
        }
        let all = directory.files().flatMap { lines(directory.path + "/" + $0) }
        #expect(all.count == writers * perWriter, "every line parses, across rotations")
        #expect(Set(all.compactMap { ($0["data"] as? [String: Any])?["file"] as? String }).count == writers * perWriter)
    }

    @Test func test_statusChangesByAUserRecordTheirEvent() throws {
        let workspace = try Workspace()
        workspace.drop("a.jsonl", [PayloadBuilder(id: 1, fingerprint: "a").json, PayloadBuilder(id: 2, fingerprint: "b").json].joined(separator: "\n"))
        try workspace.ingest()
        let path = workspace.directory.path + "/analytics.jsonl"
        let metrics = TriageMetrics()
        let activity = UserActivity(actor: Actor(userID: nil, defaultUserID: "bob"), organizationID: 7,
                                    analytics: Analytics(sink: AnalyticsSink(path: path, maxBytes: 1 << 20, keep: 1)), metrics: metrics)
        let groups = try workspace.groups()
        for action in [StatusAction.ignore(.untilEscalating), .reopen, .resolve, .resolve] {
            activity.statusChanged(try workspace.store.apply(action, to: groups.map(\.id), actor: "bob"), groups: groups, by: action)
        }
        let events = lines(path)
        #expect(events.map { $0["type"] as? String } == ["issue.ignored", "issue.ignored", "issue.unresolved", "issue.unresolved",
                                                          "issue.resolved", "issue.resolved"], "the second resolve changed nothing")
        let first = try #require(events.first?["data"] as? [String: Any])
        #expect(first["ignore_mode"] as? String == "until_escalating")
        #expect(first["organization_id"] as? Int == 7)
        #expect(first["issue_type"] as? String == "error")
        #expect(first["user_id"] is NSNull)
        #expect(metrics.exposition().contains(#"triage_status_changes_total{cause="user"} 6.0"#))
    }
}
