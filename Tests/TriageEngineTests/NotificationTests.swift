import Foundation
import Logging
import Testing
@testable import TriageEngine
import TriageTestSupport

/// Release flags (spec §6) and post-processing's notifications, delivered by real notifiers.
@Suite struct ReleaseFlagTests {
    private func settings(_ global: [String: Bool], project: [Int64: [String: Bool]] = [:]) -> EngineSettings {
        var settings = EngineSettings()
        settings.flags.global = global
        settings.flags.perProject = project
        return settings
    }

    @Test func test_anUnreleasedTypeIsRefusedUntilItsIngestFlagIsOn() throws {
        let workspace = try Workspace(settings: settings([:], project: [2: ["issue-metric-issue-ingest": true]]))
        workspace.drop("a.jsonl", [PayloadBuilder(id: 1, project: 1, type: 8001).json, PayloadBuilder(id: 2, project: 2, type: 8001).json].joined(separator: "\n"))
        let report = try workspace.ingest()
        #expect(report.accepted == 1)
        #expect(report.notes.first?.description == "a.jsonl:1: type: metric_issue (8001) is not released and its flag issue-metric-issue-ingest is off for project 1; turn it on in [flags] or [projects.1.flags]")
        #expect(try workspace.count("SELECT count(*) FROM groups WHERE project_id = 2") == 1)
    }

    @Test func test_theVisibleFlagHidesTheTypeFromLists() throws {
        let flags = ["issue-metric-issue-ingest": true]
        let hidden = try Workspace(settings: settings(flags))
        hidden.drop("a.json", PayloadBuilder(id: 1, type: 8001).json)
        try hidden.ingest()
        #expect(try hidden.groups().isEmpty)
        #expect(try hidden.count("SELECT count(*) FROM groups") == 1, "stored, just not shown")
        let shown = try Workspace(settings: settings(flags.merging(["organizations:metric-issue-visible": true]) { $1 },
                                                     project: [3: ["organizations:metric-issue-visible": false]]))
        shown.drop("a.jsonl", [PayloadBuilder(id: 1, type: 8001).json, PayloadBuilder(id: 2, project: 3, type: 8001).json].joined(separator: "\n"))
        try shown.ingest()
        #expect(try shown.groups().map(\.projectID) == [1], "shown globally, hidden in project 3")
    }

    @Test func test_postProcessOffMeansNoNewIssueNotificationEvenAfterTheFlagIsOn() throws {
        let off = try Workspace(settings: settings(["issue-metric-issue-ingest": true]))
        off.drop("a.json", PayloadBuilder(id: 1, type: 8001).json)
        try off.ingest()
        #expect(try off.count("SELECT count(*) FROM notifications") == 0)
        #expect(try off.count("SELECT post_processed FROM groups") == 0)
        // The same store, the flag turned on: a regression notifies, the old creation never does.
        let on = try SQLiteStore(path: off.store.path, settings: settings(["issue-metric-issue-ingest": true, "issue-metric-issue-post-process-group": true]),
                                 clock: off.clock)
        _ = try on.apply(.resolve, to: [1], actor: nil)
        off.drop("b.json", PayloadBuilder(id: 2, type: 8001, time: 1_790_000_100).json)
        _ = try SpoolIngestor(store: on, spool: off.spool).ingestAvailable()
        #expect(try on.notifications(after: 0, limit: 10).map(\.reason) == [.regression])
    }

    @Test func test_configNamesFlagsAndRefusesUnknownOnes() throws {
        let config = try TriageConfig.parse("""
            [flags]
            "issue-metric-issue-ingest" = true
            [projects.4.flags]
            "organizations:metric-issue-visible" = true
            """, source: "c.toml")
        #expect(config.engine.flags.global == ["issue-metric-issue-ingest": true])
        #expect(config.engine.flags.perProject[4] == ["organizations:metric-issue-visible": true])
        #expect(throws: ConfigError.self) { try TriageConfig.parse("[flags]\n\"issue-error-ingest\" = true", source: "c.toml") }
    }
}

@Suite struct NotificationDeliveryTests {
    private func quiet() -> Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }

    @Test func test_jsonlAndCommandNotifiersDeliverEachNotificationOnce() throws {
        let workspace = try Workspace()
        let log = workspace.directory.path + "/notifications.jsonl"
        let piped = workspace.directory.path + "/piped.jsonl"
        let notifiers: [NotifierConfig] = [.jsonl(name: "log", path: log),
                                           .command(name: "script", argv: ["/bin/sh", "-c", "cat >> '\(piped)'"], timeout: 5)]
        let dispatcher = try NotificationDispatcher(store: workspace.store, notifiers: notifiers, logger: quiet())
        workspace.drop("a.jsonl", [PayloadBuilder(id: 1, fingerprint: "a").json, PayloadBuilder(id: 2, fingerprint: "b").json].joined(separator: "\n"))
        try workspace.ingest()
        #expect(try dispatcher.deliverDue() == NotificationDispatcher.Report(delivered: 4, failed: 0))
        #expect(try dispatcher.deliverDue() == NotificationDispatcher.Report(delivered: 0, failed: 0), "once each")
        for file in [log, piped] {
            let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 2)
            let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
            #expect(first["reason"] as? String == "new_group")
            #expect((first["group"] as? [String: Any])?["short_id"] as? String == "P1-1")
        }
    }

    @Test func test_aFailingNotifierIsRetriedWithBackoffAndNothingIsLost() throws {
        let workspace = try Workspace()
        let gate = workspace.directory.path + "/open"
        let received = workspace.directory.path + "/received.jsonl"
        // Fails until the gate file exists.
        let notifier = NotifierConfig.command(name: "flaky", argv: ["/bin/sh", "-c", "test -e '\(gate)' && cat >> '\(received)'"], timeout: 5)
        let dispatcher = try NotificationDispatcher(store: workspace.store, notifiers: [notifier], logger: quiet())
        workspace.drop("a.jsonl", [PayloadBuilder(id: 1, fingerprint: "a").json, PayloadBuilder(id: 2, fingerprint: "b").json].joined(separator: "\n"))
        try workspace.ingest()
        #expect(try dispatcher.deliverDue() == NotificationDispatcher.Report(delivered: 0, failed: 1), "the first failure ends the turn")
        let error = try workspace.store.read { try String.fetchOne($0, sql: "SELECT last_error FROM notification_deliveries") }
        #expect(error == "/bin/sh exited with 1")
        #expect(FileManager.default.createFile(atPath: gate, contents: nil))
        #expect(try dispatcher.deliverDue() == NotificationDispatcher.Report(delivered: 1, failed: 0), "the failed one waits for its backoff")
        workspace.clock.advance(by: 30)
        #expect(try dispatcher.deliverDue() == NotificationDispatcher.Report(delivered: 1, failed: 0))
        #expect(try String(contentsOfFile: received, encoding: .utf8).split(separator: "\n").count == 2)
    }

    @Test func test_aCommandThatHangsIsCutOffAtItsTimeout() throws {
        let workspace = try Workspace()
        let dispatcher = try NotificationDispatcher(store: workspace.store, notifiers: [.command(name: "slow", argv: ["/bin/sleep", "30"], timeout: 0.5)],
                                                logger: quiet())
        workspace.drop("a.json", PayloadBuilder(id: 1).json)
        try workspace.ingest()
        let started = Date()
        #expect(try dispatcher.deliverDue().failed == 1)
        #expect(Date().timeIntervalSince(started) < 10, "bounded by the timeout, not the program")
        let error = try workspace.store.read { try String.fetchOne($0, sql: "SELECT last_error FROM notification_deliveries") }
        #expect(error == "/bin/sleep did not finish within 1s" || error?.hasPrefix("/bin/sleep did not finish") == true)
    }

    @Test func test_webhookPostsTheNotificationToARealLocalServer() throws {
        let workspace = try Workspace()
        let server = try LocalHTTPServer(directory: workspace.directory.path)
        defer { server.stop() }
        let dispatcher = try NotificationDispatcher(store: workspace.store, notifiers: [.webhook(name: "hook", url: server.url + "/hook", timeout: 5)],
                                                logger: quiet())
        workspace.drop("a.json", PayloadBuilder(id: 1).json)
        try workspace.ingest()
        #expect(try dispatcher.deliverDue() == NotificationDispatcher.Report(delivered: 1, failed: 0))
        let body = try #require(server.requests().first)
        #expect(body.hasPrefix("POST /hook "))
        #expect(body.contains("\"reason\":\"new_group\""))

        let failing = try NotificationDispatcher(store: workspace.store, notifiers: [.webhook(name: "broken", url: server.url + "/fail", timeout: 5)],
                                             logger: quiet())
        workspace.drop("b.json", PayloadBuilder(id: 2, fingerprint: "other").json)
        try workspace.ingest()
        #expect(try failing.deliverDue().failed == 1)
        let error = try workspace.store.read { try String.fetchOne($0, sql: "SELECT last_error FROM notification_deliveries WHERE notifier = 'broken'") }
        #expect(error == "\(server.url)/fail answered 500")
    }
}

/// A real HTTP server on the loopback (Python's http.server): POST /fail answers 500, any other
/// POST 200; each request line and body is appended to a file.
final class LocalHTTPServer {
    private let server: LoopbackServer
    private let log: String
    var url: String { server.url }

    init(directory: String) throws {
        log = directory + "/requests.log"
        server = try LoopbackServer(handler: """
            import http.server, sys
            class Handler(http.server.BaseHTTPRequestHandler):
                def do_POST(self):
                    body = self.rfile.read(int(self.headers.get('Content-Length', 0))).decode()
                    with open(sys.argv[1], 'a') as f:
                        f.write(self.requestline + ' ' + body + '\\n')
                    self.send_response(500 if self.path == '/fail' else 200)
                    self.end_headers()
                def log_message(self, *args):
                    pass
            """, log: log)
    }

    func requests() -> [String] {
        ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    func stop() { server.stop() }
}
