import Foundation
import TriagePostgres
import TriageTestSupport
import XCTest

/// Faults under `triage ingest` into the team store, on a real PostgreSQL 15: the server stopped
/// (`pg_ctl stop -m immediate`) and restarted mid-pass, connections terminated under the ingester
/// and under the TUI. Each ends with the store equal to an uninterrupted ingest's, group for group.
final class TeamFaultTests: TeamStoreTestCase {
    /// A spool large enough that a pass is still running when the fault comes, and its copy ingested
    /// without a fault into a store of the shared server; returns (spool, that store's URL).
    private func spoolAndCleanIngest() throws -> (spool: String, clean: String) {
        let spool = cli.home + "/spool"
        // The last hour: no time rule comes due meanwhile, whichever pass applies the rules.
        let start = Int(Date().timeIntervalSince1970) - 3600
        try cli.succeed(["gen", "--out", spool, "--occurrences", "3000", "--groups", "60", "--projects", "2", "--seed", "11",
                         "--per-file", "50", "--noise-fraction", "0.1", "--status-fraction", "0.02", "--users", "20",
                         "--start", "\(start)", "--span", "3000"])
        let copy = cli.home + "/spool-copy"
        try FileManager.default.copyItem(atPath: spool, toPath: copy)
        let clean = try migratedStore()
        let result = try cli.run(["ingest", "--spool", copy, "--store", clean, "--config", "/dev/null", "--batch-rows", "50"])
        XCTAssertEqual(result.status, 0, result.stderr)
        return (spool, clean)
    }

    private func waiting(_ spool: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: spool)) ?? []).filter { $0.hasSuffix(".jsonl") }
    }

    private func processed(_ spool: String) -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: spool + "/processed")) ?? []).count
    }

    /// Waits until `condition` holds, up to `seconds`; whether it did.
    private func until(_ seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(10_000)
        }
        return try condition()
    }

    private func occurrences(_ text: String, of needle: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    func test_aFollowingIngesterRidesOutTheServerStoppedMidPassAndEndsAsIfUninterrupted() throws {
        let (spool, clean) = try spoolAndCleanIngest()
        let own = try PostgresServer.dedicated(for: self)
        let url = try migratedStore(on: own)
        // With a notifier: its courier rides out the outage too, and says so as seldom.
        let config = cli.home + "/notify.toml"
        try "[[notifiers]]\nname = \"log\"\nkind = \"jsonl\"\npath = \"\(cli.home)/notified.jsonl\"\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let ingester = try TeamProcess(cli, ["ingest", "--follow", "--spool", spool, "--store", url, "--config", config, "--batch-rows", "50"])
        defer { _ = ingester.kill() }
        XCTAssertTrue(until(15) { processed(spool) > 0 }, "the pass started: \(ingester.stderr)")
        try own.stopAbruptly()
        // Files committed before the stop still leave the spool; nothing else does until the store is back.
        Thread.sleep(forTimeInterval: 0.5)
        let left = waiting(spool).count
        XCTAssertGreaterThan(left, 0, "stopped mid-pass")
        Thread.sleep(forTimeInterval: 2.5)
        XCTAssertEqual(waiting(spool).count, left, "files wait in the spool while the store is away")
        XCTAssertTrue(ingester.isRunning, ingester.stderr)
        try own.restart()
        XCTAssertTrue(until(20) { waiting(spool).isEmpty }, "resumed by itself: \(ingester.stderr)")
        ingester.interrupt()
        XCTAssertEqual(ingester.wait(), 0, ingester.stderr)
        let stderr = ingester.stderr
        XCTAssertEqual(occurrences(stderr, of: "the store is unreachable, retrying with backoff until it is back (files stay in the spool)"), 1,
                       "said once per outage, not per attempt: \(stderr)")
        XCTAssertEqual(occurrences(stderr, of: "the team store is back after "), 1, stderr)
        XCTAssertLessThanOrEqual(occurrences(stderr, of: "notifications: cannot reach the team store"), 1, "not every 2 s: \(stderr)")
        XCTAssertEqual(occurrences(stderr, of: "notifications: cannot reach the team store"),
                       occurrences(stderr, of: "notifications: the store answers again"), stderr)
        RawSystemText.assertAbsent(stderr)
        XCTAssertEqual(try snapshot(url, on: own), try snapshot(clean))
    }

    /// "back after N s" is the outage, from the first failed attempt to the first that got through:
    /// not the pass over the backlog that follows it.
    func test_theOutageAFollowerReportsEndsWhenTheStoreAnswersNotWhenItsPassEnds() throws {
        let spool = cli.home + "/spool"
        let start = Int(Date().timeIntervalSince1970) - 3600
        try cli.succeed(["gen", "--out", spool, "--occurrences", "6000", "--groups", "60", "--seed", "12", "--per-file", "50",
                         "--start", "\(start)", "--span", "3000"])
        let own = try PostgresServer.dedicated(for: self)
        let url = try migratedStore(on: own)
        let ingester = try TeamProcess(cli, ["ingest", "--follow", "--spool", spool, "--store", url, "--config", "/dev/null", "--batch-rows", "50"])
        defer { _ = ingester.kill() }
        XCTAssertTrue(until(15) { processed(spool) > 0 }, "the pass started: \(ingester.stderr)")
        try own.stopAbruptly()
        let stopped = Date()
        Thread.sleep(forTimeInterval: 1)
        let before = processed(spool)
        try own.restart()
        XCTAssertTrue(until(20) { processed(spool) > before }, "resumed: \(ingester.stderr)")
        let resumed = Date().timeIntervalSince(stopped)
        XCTAssertTrue(until(60) { waiting(spool).isEmpty }, "finished: \(ingester.stderr)")
        let passEnded = Date().timeIntervalSince(stopped)
        XCTAssertTrue(until(5) { ingester.stderr.contains("the team store is back after ") }, ingester.stderr)
        ingester.interrupt()
        XCTAssertEqual(ingester.wait(), 0, ingester.stderr)
        let said = try XCTUnwrap(ingester.stderr.components(separatedBy: "the team store is back after ").last?.split(separator: " ").first)
        let seconds = try XCTUnwrap(Double(said), ingester.stderr)
        XCTAssertLessThanOrEqual(seconds, resumed + 0.2, "over by the pass (which ended \(passEnded) s after the stop): \(ingester.stderr)")
        XCTAssertGreaterThan(seconds, 0.5, "the server was away a second: \(ingester.stderr)")
    }

    /// A host that boots while the database is down keeps its follower: it waits, as mid-run.
    func test_aFollowerStartedWhileTheServerIsDownWaitsForIt() throws {
        let spool = cli.home + "/spool"
        try cli.succeed(["gen", "--out", spool, "--occurrences", "200", "--groups", "10", "--seed", "4"])
        let own = try PostgresServer.dedicated(for: self)
        let url = try migratedStore(on: own)
        try own.stopAbruptly()
        let ingester = try TeamProcess(cli, ["ingest", "--follow", "--spool", spool, "--store", url, "--config", "/dev/null"])
        defer { _ = ingester.kill() }
        Thread.sleep(forTimeInterval: 1.5)
        XCTAssertTrue(ingester.isRunning, "still waiting: \(ingester.stderr)")
        XCTAssertFalse(waiting(spool).isEmpty, "nothing left the spool while the store was away")
        try own.restart()
        XCTAssertTrue(until(20) { waiting(spool).isEmpty }, "ingested once the store came: \(ingester.stderr)")
        ingester.interrupt()
        XCTAssertEqual(ingester.wait(), 0, ingester.stderr)
        XCTAssertEqual(occurrences(ingester.stderr, of: "the store is unreachable, retrying with backoff until it is back"), 1, ingester.stderr)
        XCTAssertEqual(occurrences(ingester.stderr, of: "the team store is back after "), 1, ingester.stderr)
    }

    func test_aOneShotIngestWhoseServerGoesAwayExitsSayingWhatItCommittedAndTheNextRunFinishes() throws {
        let (spool, clean) = try spoolAndCleanIngest()
        let own = try PostgresServer.dedicated(for: self)
        let url = try migratedStore(on: own)
        let ingester = try TeamProcess(cli, ["ingest", "--spool", spool, "--store", url, "--config", "/dev/null", "--batch-rows", "50"])
        defer { _ = ingester.kill() }
        XCTAssertTrue(until(15) { processed(spool) > 0 }, "the pass started: \(ingester.stderr)")
        try own.stopAbruptly()
        XCTAssertEqual(ingester.wait(), 1, ingester.stderr)
        let stderr = ingester.stderr
        XCTAssertTrue(stderr.contains("triage: cannot reach the team store at "), stderr)
        XCTAssertTrue(stderr.contains(" before the store went away, the other files stay in the spool for the next run "
                                      + "(--follow waits for the store instead)\n"), stderr)
        let committed = try XCTUnwrap(stderr.range(of: #"this run committed [0-9]+ files"#, options: .regularExpression).map { stderr[$0] })
        XCTAssertNotEqual(committed, "this run committed 0 files", stderr)
        RawSystemText.assertAbsent(stderr)
        // The summary's time is the run's, up to the outage, not the failed pass's nothing.
        let summary = ingester.stdout
        let seconds = try XCTUnwrap(summary.range(of: #"files in [0-9.]+s"#, options: .regularExpression).map {
            Double(summary[$0].dropFirst("files in ".count).dropLast())
        } ?? nil, summary)
        XCTAssertGreaterThan(seconds, 0.05, summary)
        XCTAssertTrue(summary.contains("occurrences/s), interrupted: rerun to finish"), summary)
        XCTAssertGreaterThan(waiting(spool).count, 0, "the rest stay in the spool")

        try own.restart()
        let rerun = try cli.run(["ingest", "--spool", spool, "--store", url, "--config", "/dev/null", "--batch-rows", "50"])
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertEqual(waiting(spool), [])
        XCTAssertEqual(try snapshot(url, on: own), try snapshot(clean))
    }

    /// `pg_terminate_backend` on every session of the store's database but the harness's own.
    @discardableResult
    private func terminateSessions(of database: String) throws -> Int {
        // Chosen first (MATERIALIZED): in one WHERE, the server may call pg_terminate_backend before the other conditions.
        try server.admin("""
            WITH chosen AS MATERIALIZED (SELECT pid FROM pg_stat_activity WHERE datname = '\(database)' AND pid <> pg_backend_pid())
            SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS n FROM chosen
            """).first?.get("n") ?? 0
    }

    func test_connectionsTerminatedUnderAFollowingIngesterLoseNothingAndCountNothingTwice() throws {
        let (spool, clean) = try spoolAndCleanIngest()
        try cli.succeed(["store", "migrate", "--store", url])
        let ingester = try TeamProcess(cli, ["ingest", "--follow", "--spool", spool, "--store", url, "--config", "/dev/null", "--batch-rows", "50"])
        defer { _ = ingester.kill() }
        XCTAssertTrue(until(15) { processed(spool) > 0 }, "the pass started: \(ingester.stderr)")
        // Each time after the ingester has made progress again, so each drop lands mid-pass.
        var terminated = 0
        for _ in 0..<3 {
            let before = processed(spool)
            guard until(10, { processed(spool) > before }), !waiting(spool).isEmpty else { break }
            terminated += try terminateSessions(of: database)
        }
        XCTAssertGreaterThanOrEqual(terminated, 3, "connections were dropped mid-pass")
        XCTAssertTrue(until(20) { waiting(spool).isEmpty }, "resumed by itself: \(ingester.stderr)")
        ingester.interrupt()
        XCTAssertEqual(ingester.wait(), 0, ingester.stderr)
        let stderr = ingester.stderr
        XCTAssertLessThanOrEqual(occurrences(stderr, of: "the store is unreachable, retrying"), terminated, stderr)
        XCTAssertEqual(occurrences(stderr, of: "the store is unreachable, retrying"), occurrences(stderr, of: "the team store is back after "),
                       "every outage reported ended: \(stderr)")
        XCTAssertEqual(try snapshot(url), try snapshot(clean))
    }

    func test_aConnectionLostMidTransactionIsNotReplacedUnderIt() throws {
        try cli.succeed(["store", "migrate", "--store", url])
        let session = try PostgresSession.connect(PostgresLocation(parsing: url), password: nil)
        try session.begin()
        try session.query("INSERT INTO occurrence_ids (id) VALUES ('\\x01'::bytea)")
        XCTAssertEqual(try terminateSessions(of: database), 1)
        XCTAssertTrue(until(5) { session.isClosed })
        // Run on a new connection, this insert would commit alone, without the one before it.
        XCTAssertThrowsError(try session.query("INSERT INTO occurrence_ids (id) VALUES ('\\x02'::bytea)")) { error in
            XCTAssertEqual((error as? PostgresFailure)?.isTransient, true, "\(error)")
        }
        XCTAssertThrowsError(try session.commit())
        try session.rollback()
        XCTAssertEqual(try server.admin("SELECT count(*) AS n FROM occurrence_ids", database: database).first?.get("n"), 0 as Int)
        // Once the transaction has ended, the next statement connects again.
        XCTAssertEqual(try session.query("SELECT 1 AS one").first?.get("one"), 1 as Int)
    }

    func test_theTUIShowsItsConnectionsTerminatedAsAnOutageAndRecovers() throws {
        let (id, title) = try filledTeamStore(url)
        let pane = try tui(url)
        XCTAssertNotNil(try watch(pane) { $0.contains(title) }.at)
        // Terminated again and again until the screen says so: each reconnect is at once.
        var shown: String?
        let deadline = Date().addingTimeInterval(10)
        while shown == nil && Date() < deadline {
            try terminateSessions(of: database)
            let screen = try pane.screen()
            if screen.contains("store unreachable — retrying") { shown = screen }
            usleep(20_000)
        }
        let screen = try XCTUnwrap(shown, "the outage showed")
        XCTAssertTrue(screen.contains(title), "the last data stays on screen: \(screen)")
        try cli.succeed(["resolve", id, "--store", url])
        let back = try watch(pane) { !$0.contains("store unreachable") && !$0.contains(title) }
        XCTAssertNotNil(back.at, "back, caught up: \(back.screen)")
        try pane.send("q")
        XCTAssertTrue(try watch(pane) { $0.contains("EXITED") }.screen.contains("EXITED 0"))
    }

    /// A laptop that opens the TUI before the database is up gets the screen, saying so, not an exit.
    func test_aTUIStartedWhileTheServerIsDownOpensSayingSoAndLoadsOnceItAnswers() throws {
        let own = try PostgresServer.dedicated(for: self)
        let url = own.url(try own.makeDatabase())
        let (_, title) = try filledTeamStore(url)
        try own.stopAbruptly()
        let pane = try tui(url)
        let waiting = try watch(pane) { $0.contains("store unreachable — retrying") && $0.contains("no data yet") }
        XCTAssertNotNil(waiting.at, "opened, empty, saying why: \(waiting.screen)")
        XCTAssertFalse(waiting.screen.contains("EXITED"), waiting.screen)
        XCTAssertFalse(waiting.screen.contains(" old"), "no age for data never read: \(waiting.screen)")
        try own.restart()
        let loaded = try watch(pane, seconds: 20) { $0.contains(title) && !$0.contains("store unreachable") }
        XCTAssertNotNil(loaded.at, "loaded once the server answered: \(loaded.screen)")
        XCTAssertFalse(loaded.screen.contains("🔔"), "what the store held before is not news: \(loaded.screen)")
        try pane.send("q")
        XCTAssertTrue(try watch(pane) { $0.contains("EXITED") }.screen.contains("EXITED 0"))
    }

    /// A refused login is no outage: the TUI ends with status 1 saying so, at start or once the server answers.
    func test_aTUIWhoseLoginIsRefusedExitsSayingSoEvenIfTheServerWasDownAtStart() throws {
        let refused = try tui(server.url("no_such_database"))
        let atStart = try watch(refused) { $0.contains("EXITED") }.screen
        XCTAssertTrue(atStart.contains("EXITED 1"), atStart)
        XCTAssertTrue(atStart.contains("refused the login"), atStart)
        // The next pane has the same tmux socket and session name.
        _ = try refused.tmux(["kill-server"])
        let own = try PostgresServer.dedicated(for: self)
        // Answering first: a server stopped as it starts up may come up anyway.
        _ = try own.makeDatabase()
        try own.stopAbruptly()
        let pane = try tui(own.url("no_such_database"))
        let waiting = try watch(pane) { $0.contains("store unreachable — retrying") }
        XCTAssertNotNil(waiting.at, waiting.screen)
        try own.restart()
        let ended = try watch(pane, seconds: 20) { $0.contains("EXITED") }.screen
        XCTAssertTrue(ended.contains("EXITED 1"), ended)
        XCTAssertTrue(ended.contains("refused the login: database \"no_such_database\" does not exist"), ended)
    }
}
