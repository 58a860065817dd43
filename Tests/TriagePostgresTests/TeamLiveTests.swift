import Foundation
import TriagePostgres
import TriageTestSupport
import XCTest

/// Every engineer's screen on the team store: the real `triage tui` in tmux on a real PostgreSQL,
/// other engineers' changes arriving through LISTEN/NOTIFY, and `link` and `metrics` on it.
final class TeamLiveTests: TeamStoreTestCase {
    func test_theTUIBrowsesTheTeamStoreAndResolvesThroughTheRunner() throws {
        let (id, title) = try filledTeamStore(url)
        let pane = try tui(url)
        var screen = try watch(pane) { $0.contains(title) }.screen
        XCTAssertTrue(screen.contains(title), screen)
        try pane.send("r")
        screen = try watch(pane) { $0.contains("\(id): ") && $0.contains("→ resolved") }.screen
        XCTAssertTrue(screen.contains("\(id): ") && screen.contains("→ resolved"), screen)
        let resolved = try cli.succeed(["list", "--plain", "--fields", "short_id", "--query", "is:resolved", "--store", url])
        XCTAssertTrue(resolved.split(separator: "\n").contains(Substring(id)), resolved)
        // The UI's counters reach the team store as it counts them, not only when it quits.
        let counted = #"triage_status_changes_total{cause="user"} 1"#
        var metrics = ""
        let deadline = Date().addingTimeInterval(5)
        while !metrics.contains(counted), Date() < deadline {
            metrics = try cli.succeed(["metrics", "--store", url])
            usleep(100_000)
        }
        XCTAssertTrue(metrics.contains(counted), metrics)
        try pane.send("q")
        screen = try watch(pane) { $0.contains("EXITED") }.screen
        XCTAssertTrue(screen.contains("EXITED 0"), screen)
    }

    func test_theTUIOnATeamStoreSaysItDoesNotIngestRatherThanFollowNothing() throws {
        try cli.succeed(["store", "migrate", "--store", url])
        for flags in [["--follow"], ["--spool", cli.home + "/spool"]] {
            let result = try cli.run(["tui", "--store", url] + flags)
            XCTAssertEqual(result.status, 2, "\(flags)")
            XCTAssertEqual(result.stderr, "triage: the TUI does not ingest into a team store yet: leave out --follow and --spool "
                           + "(its screen is live without them: every writer's changes show as they commit)\n")
        }
    }

    func test_linkAndMetricsWorkOnTheTeamStore() throws {
        let (id, _) = try filledTeamStore(url)
        let config = cli.home + "/triage.toml"
        try "[plugins.tickets]\nkind = \"markdown\"\ndirectory = \"\(cli.home)/tickets\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        XCTAssertTrue(try cli.succeed(["link", id, "--tracker", "tickets", "--create", "--store", url, "--config", config])
            .hasPrefix("\(id): linked to "))
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(cli.home)/tickets/\(id).md"))
        XCTAssertTrue(try cli.succeed(["show", id, "--json", "--store", url]).contains(#""tracker":"tickets""#))
        try cli.succeed(["resolve", id, "--store", url])

        let metrics = try cli.succeed(["metrics", "--store", url, "--config", config])
        XCTAssertTrue(metrics.contains(#"triage_tracker_actions_total{action="create",outcome="ok",tracker="tickets"} 1"#), metrics)
        XCTAssertTrue(metrics.contains(#"triage_status_changes_total{cause="user"} 1"#), metrics)
        // The gauges count every group, those the default view hides (feedback) too.
        let resolved = try cli.succeed(["list", "--plain", "--fields", "short_id", "--query", "is:resolved", "--store", url]).split(separator: "\n").count
        XCTAssertTrue(metrics.contains("triage_groups{status=\"resolved\"} \(resolved).0"), metrics)
        try cli.succeed(["unlink", id, "--tracker", "tickets", "--store", url, "--config", config])
        XCTAssertFalse(try cli.succeed(["show", id, "--json", "--store", url]).contains(#""tracker":"tickets""#))
    }

    func test_everyWriteNotifiesTheFeedWhoeverMakesItAndReadsDoNot() throws {
        let (id, _) = try filledTeamStore(url)
        let heard = Heard()
        let feed = PostgresChangeFeed(location: try PostgresLocation(parsing: url), password: nil)
        feed.start { heard.append($0) }
        defer { feed.stop() }
        XCTAssertTrue(heard.wait(for: .live), "listening")

        heard.clear()
        try cli.succeed(["list", "--store", url])
        try cli.succeed(["show", id, "--store", url])
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertFalse(heard.contains(.changed), "reading notifies nobody")

        for write in [["resolve", id], ["assign", id, "--to", "bob"], ["note", id, "handing over"], ["priority", "low", id]] {
            heard.clear()
            try cli.succeed(write + ["--store", url])
            XCTAssertTrue(heard.wait(for: .changed), "\(write[0]) notifies")
        }
        // Any writer, not only triage: a statement typed into psql.
        heard.clear()
        try server.admin("UPDATE groups SET title = 'renamed by hand' WHERE id = (SELECT min(id) FROM groups)", database: database)
        XCTAssertTrue(heard.wait(for: .changed), "a writer that is not triage notifies too")
    }

    func test_anotherEngineersResolveShowsOnScreenThroughNotifyNotPolling() throws {
        let (id, title) = try filledTeamStore(url)
        let pane = try tui(url)
        XCTAssertNotNil(try watch(pane) { $0.contains(title) }.at)
        // Let the feed's LISTEN settle, then stay idle past the UI's one-second redraw.
        Thread.sleep(forTimeInterval: 1.5)
        let started = Date()
        let resolve = try cli.run(["resolve", id, "--store", url])
        XCTAssertEqual(resolve.status, 0, resolve.stderr)
        let committed = Date()
        let (screen, shown) = try watch(pane, seconds: 5) { !$0.contains(title) }
        let seen = try XCTUnwrap(shown, "the resolved row left the is:unresolved list: \(screen)")
        let latency = seen.timeIntervalSince(committed)
        print("another engineer's resolve → screen: \(Int(latency * 1000)) ms after the command exited "
              + "(\(Int(seen.timeIntervalSince(started) * 1000)) ms after it started)")
        XCTAssertLessThan(latency, 2)
    }

    func test_theTeamStoreRecordsTheDatabaseRoleAndTriageUserCannotForgeIt() throws {
        let (id, _) = try filledTeamStore(url)
        for statement in PostgresGrants.statements(database: database) { try server.admin(statement, database: database) }
        let alice = "alice_\(database)"
        try server.admin("CREATE ROLE \(alice) LOGIN")
        try server.admin("GRANT triage_oncall TO \(alice)")
        let asAlice = server.url(database, user: alice)
        let forged = ["TRIAGE_USER": "mallory"]
        try cli.succeed(["resolve", id, "--store", asAlice], environment: forged)
        try cli.succeed(["assign", id, "--to", "bob", "--store", asAlice], environment: forged)
        try cli.succeed(["note", id, "handing over", "--store", asAlice], environment: forged)
        try cli.succeed(["priority", "high", id, "--store", asAlice], environment: forged)
        var shown = try show(id, asAlice)
        let priority = try XCTUnwrap((shown["priority_changes"] as? [[String: Any]])?.last)
        XCTAssertEqual(priority["actor"] as? String, alice)
        XCTAssertEqual(priority["to"] as? String, "high")
        XCTAssertTrue(try cli.succeed(["show", id, "--store", asAlice]).contains(" → high  (by \(alice))"))
        XCTAssertEqual((shown["history"] as? [[String: Any]])?.last?["actor"] as? String, alice)
        XCTAssertEqual((shown["assignments"] as? [[String: Any]])?.last?["actor"] as? String, alice)
        XCTAssertEqual((shown["notes"] as? [[String: Any]])?.last?["author"] as? String, alice)
        XCTAssertTrue(try cli.succeed(["show", id, "--store", asAlice]).contains("(user, by \(alice))"))
        // `me` is who acts: the role, on the command line and in queries alike.
        XCTAssertTrue(try cli.succeed(["note", id, "mine now", "--store", asAlice], environment: forged).hasSuffix("note added by \(alice)\n"))
        try cli.succeed(["assign", id, "--to", "me", "--store", asAlice], environment: forged)
        XCTAssertEqual(try show(id, asAlice)["assignee"] as? String, alice)
        XCTAssertEqual(try cli.succeed(["list", "--query", "assigned:me", "--plain", "--fields", "short_id", "--store", asAlice], environment: forged),
                       id + "\n")

        // `[store] actor = "env"` is the config's choice, not the variable's.
        let config = cli.home + "/env-actor.toml"
        try "[store]\nactor = \"env\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        try cli.succeed(["unresolve", id, "--store", asAlice, "--config", config], environment: forged)
        shown = try show(id, asAlice)
        XCTAssertEqual((shown["history"] as? [[String: Any]])?.last?["actor"] as? String, "mallory")
        try "[store]\nactor = \"someone\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        let refused = try cli.run(["list", "--store", asAlice, "--config", config])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains(#"store.actor: must be "role" (the database role, the default) or "env" ($TRIAGE_USER)"#),
                      refused.stderr)
    }

    private func show(_ id: String, _ url: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try cli.succeed(["show", id, "--json", "--store", url]).utf8)) as? [String: Any])
    }

    func test_anOutageIsShownTheLastRowsStayActionsAreRefusedAndTheScreenCatchesUpOnReturn() throws {
        let own = try PostgresServer.dedicated(for: self)
        let url = own.url(try own.makeDatabase())
        let (id, title) = try filledTeamStore(url)
        let pane = try tui(url)
        XCTAssertNotNil(try watch(pane) { $0.contains(title) }.at)

        try own.stopAbruptly()
        var screen = try watch(pane) { $0.contains("store unreachable — retrying") }.screen
        XCTAssertTrue(screen.contains("store unreachable — retrying"), screen)
        XCTAssertTrue(screen.contains(title), "the last data stays on screen: \(screen)")
        try pane.send("?")
        screen = try watch(pane, seconds: 5) { $0.contains("Pick types to filter by") }.screen
        XCTAssertTrue(screen.contains("Pick types to filter by"), "a key that only reads still works: \(screen)")
        try pane.send("q")
        try pane.send("r")
        screen = try watch(pane, seconds: 5) { $0.contains("no changes until it is back") }.screen
        XCTAssertTrue(screen.contains("the store is unreachable (retrying): no changes until it is back"), screen)

        try own.restart()
        // Changed before this screen listens again, or just after: either way it shows.
        try cli.succeed(["resolve", id, "--store", url])
        let back = try watch(pane) { !$0.contains("store unreachable") && !$0.contains(title) }
        XCTAssertNotNil(back.at, "back, caught up: \(back.screen)")
        XCTAssertTrue(back.screen.contains("the team store is back"), back.screen)
        // Brief: it leaves the status line by itself (after 5 s), no key pressed.
        let cleared = try watch(pane, seconds: 8) { !$0.contains("the team store is back") }
        XCTAssertNotNil(cleared.at, "the message stuck: \(cleared.screen)")
        try pane.send("q")
        screen = try watch(pane) { $0.contains("EXITED") }.screen
        XCTAssertTrue(screen.contains("EXITED 0"), screen)
    }
}

/// What a change feed said, for a test to wait on.
private final class Heard: @unchecked Sendable {
    private let condition = NSCondition()
    private var events: [PostgresChangeFeed.Event] = []

    func append(_ event: PostgresChangeFeed.Event) {
        condition.withLock {
            events.append(event)
            condition.broadcast()
        }
    }

    func clear() { condition.withLock { events.removeAll() } }
    func contains(_ event: PostgresChangeFeed.Event) -> Bool { condition.withLock { events.contains(event) } }

    /// Waits up to two seconds for `event`.
    func wait(for event: PostgresChangeFeed.Event) -> Bool {
        let deadline = Date().addingTimeInterval(2)
        return condition.withLock {
            while !events.contains(event) { if !condition.wait(until: deadline) { return events.contains(event) } }
            return true
        }
    }
}
