import TriageTestSupport
import Foundation
import Testing

/// Nothing freezes the screen: a tracker that answers late and a store another writer holds both
/// leave the real `triage tui` serving keys, saying what it is working on.
@Suite(.serialized) struct TuiEffectTmuxTests {
    /// The row of the cursor (`▌`, or `◉` on a marked row), counted from the top of the screen.
    private func cursorRow(_ screen: String) -> Int? {
        screen.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("▌") || $0.hasPrefix("◉") }
    }

    /// Sends `key` and returns the screen once the cursor has left `row`, with how long that took.
    private func move(_ pane: TmuxPane, _ key: String, from row: Int?) throws -> (screen: String, seconds: Double) {
        let sent = Date()
        try pane.send(key)
        let screen = try pane.waitFor(settled: false) { cursorRow($0) != row }
        return (screen, Date().timeIntervalSince(sent))
    }

    private func demoStore(_ scratch: TemporaryDirectory) throws -> String {
        try TriageProcess.run(["demo", "--no-tui", "--dir", scratch.path + "/demo"], home: scratch.path)
        return scratch.path + "/demo/triage.sqlite"
    }

    @Test(.enabled(if: TmuxPane.available)) func test_aWebhookTrackerAnsweringAfterFiveSecondsLeavesJAndKWorking() throws {
        let scratch = TemporaryDirectory()
        let store = try demoStore(scratch)
        let server = try TicketServer(directory: scratch.path, createDelay: 5)
        defer { server.stop() }
        let config = scratch.path + "/triage.toml"
        try "[plugins.desk]\nkind = \"webhook\"\nurl = \"\(server.url)\"\ntimeout = 20\n".write(toFile: config, atomically: true, encoding: .utf8)
        let pane = try TmuxPane(command: "\(TriageProcess.binary) tui --store \(store) --config \(config)", home: scratch.path)
        _ = try pane.waitFor { $0.contains("Monitor failure") }
        try pane.send("L")
        _ = try pane.waitFor { $0.contains("Trackers for") }
        let asked = Date()
        try pane.send("c")
        var screen = try pane.waitFor { $0.contains("filing on desk…") }
        #expect(screen.contains("filing on desk…"), "\(screen)")
        try pane.send("Escape")
        screen = try pane.waitFor { !$0.contains("Trackers for") }
        let top = cursorRow(screen)
        for key in ["j", "j", "k"] {
            let before = cursorRow(screen)
            let moved = try move(pane, key, from: before)
            screen = moved.screen
            #expect(cursorRow(screen) == before.map { $0 + (key == "j" ? 1 : -1) }, "\(key) moved the cursor: \(screen)")
            #expect(moved.seconds < 1, "\(key) was served at once, not after the tracker: \(moved.seconds) s")
        }
        #expect(cursorRow(screen) == top.map { $0 + 1 })
        #expect(Date().timeIntervalSince(asked) < 4.5, "all of that happened while the tracker was still working")
        #expect(screen.contains("filing on desk…"), "still working: \(screen)")
        for _ in 0..<3 where !screen.contains("linked to DESK-9") { screen = try pane.waitFor { $0.contains("linked to DESK-9") } }
        #expect(screen.contains("P1-1: linked to DESK-9"), "\(screen)")
        #expect(!screen.contains("filing on desk…"))
        #expect(server.actions == ["create"])
        try pane.send("q")
        #expect(try pane.waitFor { $0.contains("EXITED") }.contains("EXITED 0"))
    }

    @Test(.enabled(if: TmuxPane.available)) func test_aResolveWhileAnotherWriterHoldsTheStoreShowsAtOnceAndLandsLater() throws {
        let scratch = TemporaryDirectory()
        let store = try demoStore(scratch)
        let pane = try TmuxPane(command: "\(TriageProcess.binary) tui --store \(store)", home: scratch.path)
        var screen = try pane.waitFor { $0.contains("Monitor failure") }
        let issues = screen.split(separator: "\n").first.map(String.init) ?? ""
        #expect(issues.contains("9 issues"), "\(issues)")

        // Another process takes the store's write lock for 4 seconds (readers carry on under WAL).
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        holder.arguments = ["-c", """
            import sqlite3, sys, time
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.execute('BEGIN IMMEDIATE')
            print('locked', flush=True)
            time.sleep(4)
            db.execute('COMMIT')
            """, store]
        let output = Pipe()
        holder.standardOutput = output
        try holder.run()
        defer { holder.waitUntilExit() }
        _ = try output.fileHandleForReading.read(upToCount: 7)

        let asked = Date()
        try pane.send("r")
        screen = try pane.waitFor { $0.contains("resolving…") }
        #expect(screen.contains("resolving…"), "working, said in the header: \(screen)")
        let row = try #require(cursorRow(screen))
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(rows[row].hasSuffix("✓"), "the resolve shows at once: \(rows[row])")
        let moved = try move(pane, "j", from: row)
        #expect(cursorRow(moved.screen) == row + 1, "\(moved.screen)")
        #expect(moved.seconds < 1, "j was served while the store was locked: \(moved.seconds) s")
        let back = try move(pane, "k", from: row + 1)
        #expect(cursorRow(back.screen) == row)
        #expect(Date().timeIntervalSince(asked) < 3.5, "all of that before the lock was released")
        #expect(back.screen.contains("resolving…"))
        screen = back.screen
        for _ in 0..<3 where !screen.contains("→ resolved") { screen = try pane.waitFor { $0.contains("→ resolved") } }
        #expect(screen.contains("→ resolved"), "\(screen)")
        #expect(!screen.contains("resolving…"))
        #expect(screen.contains("8 issues"), "reconciled with the store: \(screen)")
        try pane.send("q")
        #expect(try pane.waitFor { $0.contains("EXITED") }.contains("EXITED 0"))
    }
}
