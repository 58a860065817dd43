import Foundation
import Testing

/// The real `triage tui` in a real tmux pane: what an on-call engineer types and sees.
@Suite(.serialized) struct TuiTmuxTests {
    @Test(.enabled(if: TmuxPane.available)) func test_filterOpenDetailsResolveAndFollowInTmux() throws {
        let scratch = Scratch()
        let store = scratch.path + "/demo/triage.sqlite"
        try TriageProcess.run(["demo", "--no-tui", "--dir", scratch.path + "/demo"], home: scratch.path)
        let spool = scratch.path + "/live"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        let pane = try TmuxPane(command: "\(TriageProcess.binary) tui --store \(store) --spool \(spool)", home: scratch.path)

        var screen = try pane.waitFor { $0.contains("Monitor failure: poll_service") }
        #expect(screen.contains("9 issues"))
        #expect(screen.contains("following ●"))
        #expect(screen.contains("支払いゲートウェイがタイムアウトしました (payment gateway timeout)"))
        #expect(!(try pane.screen(escapes: true)).contains("\u{1B}]0;pwned"), "the hostile title never reaches the terminal raw")

        // Type a filter: results follow the keystrokes.
        try pane.send("/")
        for _ in 0..<13 { try pane.send("BSpace") }
        try pane.send("type:monitor_check_in_failure")
        screen = try pane.waitFor { $0.contains("/type:monitor_check_in_failure▏") }
        #expect(screen.contains("1 issue "))
        try pane.send("Enter")

        // Open details: the important evidence row is marked and highlighted.
        try pane.send("Enter")
        screen = try pane.waitFor { $0.contains("▶ Failure reason") }
        #expect(screen.contains("▶ Failure reason            A missed check-in was detected"))
        let coloured = try pane.screen(escapes: true)
        let importantLine = try #require(coloured.split(separator: "\n").first { $0.contains("Failure reason") })
        #expect(importantLine.contains("\u{1B}[33m") || importantLine.contains("\u{1B}[1;33m"), "highlighted in the theme's important colour")

        // Resolve from the status panel.
        try pane.send("s")
        screen = try pane.waitFor { $0.contains("Status of P1-3") }
        #expect(screen.contains("(already unresolved/new)"))
        try pane.send("r")
        screen = try pane.waitFor { $0.contains("P1-3: unresolved/new → resolved") }
        #expect(screen.contains("resolved"))
        let show = try TriageProcess.run(["show", "P1-3", "--json", "--store", store], home: scratch.path)
        #expect((try TriageProcess.json(show.stdout) as? [String: Any])?["status"] as? String == "resolved")

        // Drop a new file into the followed spool: it appears without a keystroke.
        try pane.send("Escape", "Escape")
        let payload = #"{"id":"\#(String(repeating: "ab", count: 16))","project_id":4,"fingerprint":["live-one"],"issue_title":"Arrived while watching","subtitle":"","culprit":"","evidence_data":{},"evidence_display":[],"type":1,"detection_time":\#(Int(Date().timeIntervalSince1970)),"event_id":"\#(String(repeating: "cd", count: 16))"}"#
        try payload.write(toFile: spool + "/.new.json", atomically: false, encoding: .utf8)
        try FileManager.default.moveItem(atPath: spool + "/.new.json", toPath: spool + "/new.json")
        screen = try pane.waitFor { $0.contains("Arrived while watching") }
        #expect(screen.contains("Arrived while watching"))

        // Quit: the terminal is given back (the shell line after the UI shows up).
        try pane.send("q")
        screen = try pane.waitFor { $0.contains("EXITED 0") }
        #expect(screen.contains("EXITED 0"))
        #expect(!screen.contains("triage  is:unresolved"), "the alternate screen is gone")
    }

    @Test(.enabled(if: TmuxPane.available)) func test_dumbTerminalIsRefusedWithAClearMessage() throws {
        let scratch = Scratch()
        let pane = try TmuxPane(command: "TERM=dumb \(TriageProcess.binary) tui --store \(scratch.path)/s.sqlite", home: scratch.path)
        let screen = try pane.waitFor { $0.contains("EXITED") }
        #expect(screen.contains("the terminal UI needs a terminal with cursor addressing (TERM=dumb); use `triage list` instead"))
        #expect(screen.contains("EXITED 1"))
    }
}
