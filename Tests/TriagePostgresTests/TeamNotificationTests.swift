import Foundation
import TriagePostgres
import TriageTestSupport
import XCTest

/// The team store's outbox: every ingester runs a courier, and each notification reaches the
/// notifier once, whichever ingester recorded it and however many deliver at the same time.
final class TeamNotificationTests: XCTestCase {
    private var server: PostgresServer!
    private var cli: TeamCLI!
    private var hook: LoopbackServer!
    private var requests = ""

    override func setUpWithError() throws {
        server = try PostgresServer.shared()
        cli = try TeamCLI(self)
        requests = cli.home + "/requests.log"
        // Many couriers post at once: a threading server, each request appended as one line.
        hook = try LoopbackServer(handler: """
            import http.server, json, sys, threading
            lock = threading.Lock()
            class Handler(http.server.BaseHTTPRequestHandler):
                def do_POST(self):
                    body = json.loads(self.rfile.read(int(self.headers.get('Content-Length', 0))))
                    with lock, open(sys.argv[1], 'a') as f:
                        f.write('%s %s %s\\n' % (body['id'], body['reason'], body['group']['fingerprint']))
                    self.send_response(200)
                    self.end_headers()
                def log_message(self, *args):
                    pass
            """, log: requests, threading: true)
        addTeardownBlock { [hook] in hook?.stop() }
    }

    private func config() throws -> String {
        let path = cli.home + "/hook.toml"
        try """
            [[notifiers]]
            name = "hook"
            kind = "webhook"
            url = "\(hook.url)/notify"
            timeout = 5
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func delivered() -> [String] {
        ((try? String(contentsOfFile: requests, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    func test_threeIngestersDeliverEachNotificationOnce() throws {
        let url = server.url(try server.makeDatabase())
        try cli.succeed(["store", "migrate", "--store", url])
        let config = try config()
        let (spools, _) = try TeamIngestTests.writeSpools(TeamIngestTests.mixedCorpus(), home: cli.home)
        let ingesters = try spools.map { spool in
            try TeamProcess(cli, ["ingest", "--spool", spool, "--store", url, "--config", config, "--batch-rows", "7"])
        }
        for ingester in ingesters { XCTAssertEqual(ingester.wait(), 0, ingester.stderr) }

        let database = String(url.split(separator: "/").last!.split(separator: "?").first!)
        let recorded = try server.admin("SELECT id, reason FROM notifications ORDER BY id", database: database)
            .map { "\($0.get("id") as Int64? ?? 0) \($0.get("reason") as String? ?? "")" }
        XCTAssertGreaterThan(recorded.count, 5, "the corpus makes new groups and regressions")
        let sent = delivered()
        XCTAssertEqual(sent.count, Set(sent).count, "no notification went out twice: \(sent)")
        XCTAssertEqual(Set(sent.map { $0.split(separator: " ").prefix(2).joined(separator: " ") }), Set(recorded))
        let pending = try server.admin("""
            SELECT count(*) AS n FROM notifications n
            LEFT JOIN notification_deliveries d ON d.notification_id = n.id AND d.notifier = 'hook'
            WHERE d.delivered_at IS NULL
            """, database: database).first?.get("n") as Int64?
        XCTAssertEqual(pending, 0, "every notification is recorded as delivered")
    }

    /// A local store copied in is history: the team's notifiers do not announce its groups again.
    func test_aStoreCopiedInPagesNobody() throws {
        let url = server.url(try server.makeDatabase())
        try cli.succeed(["store", "migrate", "--store", url])
        try FileManager.default.createDirectory(atPath: cli.home + "/empty", withIntermediateDirectories: true)
        // The rota's notifier is registered by its first courier, before the copy.
        try cli.succeed(["ingest", "--spool", cli.home + "/empty", "--store", url, "--config", config()])
        let local = try cli.filledStore()
        let copied = try cli.succeed(["store", "copy", "--from", local, "--to", url])
        XCTAssertTrue(copied.contains(" notifications"), copied)
        try cli.succeed(["ingest", "--spool", cli.home + "/empty", "--store", url, "--config", config()])
        XCTAssertEqual(delivered(), [], "the copied groups were announced again")
        // What happens after the copy still is.
        let spool = cli.home + "/fresh"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        try PayloadBuilder.bare(id: 900_001, fingerprint: "after-the-copy", title: "new after the copy").json
            .write(toFile: spool + "/a.json", atomically: true, encoding: .utf8)
        try cli.succeed(["ingest", "--spool", spool, "--store", url, "--config", config()])
        XCTAssertEqual(delivered().map { $0.split(separator: " ").dropFirst().joined(separator: " ") }, ["new_group after-the-copy"])
        // The couriers' deliveries are counted in the team store's totals, as SQLite keeps its own.
        let sent = try cli.succeed(["metrics", "--store", url]).split(separator: "\n")
            .first { $0.hasPrefix("triage_notifications_total{") && $0.contains("sent") }
        XCTAssertEqual(sent.flatMap { $0.split(separator: " ").last }.flatMap { Double($0) }, 1, "\(String(describing: sent))")
    }

    func test_anAssignmentOnTheTeamStoreIsSentByTheCommandThatMadeIt() throws {
        let url = server.url(try server.makeDatabase())
        try cli.succeed(["store", "migrate", "--store", url])
        try cli.succeed(["store", "copy", "--from", try cli.filledStore(), "--to", url])
        let config = try config()
        let group = try cli.succeed(["list", "--plain", "--fields", "short_id", "--limit", "1", "--store", url]).split(separator: "\n")[0]
        try cli.succeed(["assign", String(group), "--to", "alice", "--store", url, "--config", config])
        let sent = delivered()
        XCTAssertEqual(sent.count, 1, "\(sent)")
        XCTAssertEqual(sent.first?.split(separator: " ").dropFirst().first, "assigned")
        // Registered when the command opened the store: only what was recorded since is sent.
        try cli.succeed(["assign", String(group), "--to", "bob", "--store", url, "--config", config])
        XCTAssertEqual(delivered().count, 2)
    }

    func test_aFollowingIngesterSendsWhatOthersRecordWithinSeconds() throws {
        let url = server.url(try server.makeDatabase())
        try cli.succeed(["store", "migrate", "--store", url])
        try cli.succeed(["store", "copy", "--from", try cli.filledStore(), "--to", url])
        let spool = cli.home + "/spool"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        let follower = try TeamProcess(cli, ["ingest", "--follow", "--spool", spool, "--store", url, "--config", try config()])
        defer { _ = follower.kill() }
        // The follower registers its notifier before anything is assigned.
        let deadline = Date().addingTimeInterval(10)
        while (try server.admin("SELECT count(*) AS n FROM notifiers", database: database(url)).first?.get("n") as Int64? ?? 0) == 0,
              Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        let group = try cli.succeed(["list", "--plain", "--fields", "short_id", "--limit", "1", "--store", url]).split(separator: "\n")[0]
        // Assigned by someone whose triage has no notifiers: the ingester's courier finds it.
        try cli.succeed(["assign", String(group), "--to", "alice", "--store", url, "--config", "/dev/null"])
        let assigned = Date()
        while !delivered().contains(where: { $0.contains(" assigned ") }), Date().timeIntervalSince(assigned) < 10 {
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTAssertTrue(delivered().contains(where: { $0.contains(" assigned ") }), "sent within 10 s: \(delivered()); \(follower.stderr)")
        XCTAssertLessThan(Date().timeIntervalSince(assigned), 5)
    }

    private func database(_ url: String) -> String { String(url.split(separator: "/").last!.split(separator: "?").first!) }
}
