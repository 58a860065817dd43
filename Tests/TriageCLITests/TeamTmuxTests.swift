import TriageTestSupport
import Foundation
import Testing

/// Assigning and noting in the real `triage tui`, in a real tmux pane, as an on-call engineer would.
@Suite(.serialized) struct TeamTmuxTests {
    @Test(.enabled(if: TmuxPane.available)) func test_assignWithAAndAddANoteThenSeeBothInTmux() throws {
        let scratch = TemporaryDirectory()
        let store = scratch.path + "/demo/triage.sqlite"
        try TriageProcess.run(["demo", "--no-tui", "--dir", scratch.path + "/demo"], home: scratch.path)
        // A name already in use, for the prompt to complete.
        #expect(try TriageProcess.run(["assign", "P1-1", "--to", "bob", "--store", store], home: scratch.path).status == 0)
        let log = scratch.path + "/notifications.jsonl"
        let config = scratch.path + "/triage.toml"
        try "[[notifiers]]\nname = \"log\"\nkind = \"jsonl\"\npath = \"\(log)\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        let pane = try TmuxPane(command: "TRIAGE_USER=alice \(TriageProcess.binary) tui --store \(store) --config \(config)", home: scratch.path, width: 140)
        var screen = try pane.waitFor { $0.contains("Monitor failure: poll_service") }
        #expect(screen.contains("ASSIGNEE"))

        try pane.send(":", "P1-3", "Enter")
        screen = try pane.waitFor { $0.contains("P1-3: ") }
        try pane.send("a")
        screen = try pane.waitFor { $0.contains("assign P1-3 to: ") }
        try pane.send("b", "Tab")
        screen = try pane.waitFor { $0.contains("assign P1-3 to: bob▏") }
        #expect(screen.contains("assign P1-3 to: bob▏"), "Tab completed a name in use: \(screen)")
        try pane.send("Enter")
        screen = try pane.waitFor { $0.contains("P1-3: nobody → bob") }
        #expect(screen.contains("P1-3: nobody → bob"))
        let row = screen.split(separator: "\n").first { $0.hasPrefix("▌") }.map(String.init) ?? ""
        #expect(row.contains(" bob "), "the assignee column shows it: \(row)")
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, !((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("assigned to bob by alice") {
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("\"detail\":\"assigned to bob by alice\""),
                "the notifier heard of it while the UI runs, without an ingest")

        try pane.send("Enter")
        screen = try pane.waitFor { $0.contains("assignee    bob") }
        try pane.send("c")
        screen = try pane.waitFor { $0.contains("note on P1-3: ") }
        try pane.send("-l", "handing over to bob: the poller restarts every 5 minutes")
        try pane.send("Enter")
        screen = try pane.waitFor { $0.contains("P1-3: note added") }
        try pane.send("G")
        screen = try pane.waitFor { $0.contains("note  alice · ") }
        #expect(screen.contains("assigned to bob  by alice · "), "\(screen)")
        #expect(screen.contains("note  alice · 0s ago") || screen.contains("note  alice · 1s ago"), "\(screen)")
        #expect(screen.contains("     handing over to bob: the poller restarts every 5 minutes"))

        let show = try #require(try TriageProcess.json(try TriageProcess.run(["show", "P1-3", "--json", "--store", store],
                                                                                  home: scratch.path).stdout) as? [String: Any])
        #expect(show["assignee"] as? String == "bob")
        #expect((show["notes"] as? [[String: Any]])?.first?["author"] as? String == "alice")

        try pane.send("q", "q")
        screen = try pane.waitFor { $0.contains("EXITED 0") }
        #expect(screen.contains("EXITED 0"))
    }
}
