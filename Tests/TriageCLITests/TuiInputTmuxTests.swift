import Foundation
import Testing
import TriageTestSupport

/// What the outside tester met in tmux on the real binary: Esc on a candidate list, two TUIs sharing
/// one query history.
@Suite(.serialized) struct TuiInputTmuxTests {
    private func demoStore(_ scratch: TemporaryDirectory) throws -> String {
        try TriageProcess.run(["demo", "--no-tui", "--dir", scratch.path + "/demo"], home: scratch.path)
        return scratch.path + "/demo/triage.sqlite"
    }

    /// One Esc on the Tab candidates closes the list and the line: the next key moves the list
    /// instead of typing into a line still open.
    @Test(.enabled(if: TmuxPane.available)) func test_escapeOnTheCandidateListClosesTheLine() throws {
        let scratch = TemporaryDirectory()
        let pane = try TmuxPane(command: "\(TriageProcess.binary) tui --store \(try demoStore(scratch))", home: scratch.path)
        _ = try pane.waitFor { $0.contains("Monitor failure") }
        try pane.send("/", "C-u")
        // A half-typed value lists its candidates already (a Tab would step to the first).
        try pane.send("-l", "is:re")
        var screen = try pane.waitFor { $0.contains(" resolved ") && $0.contains(" regressed") }
        #expect(screen.contains("/is:re▏"), "\(screen)")
        try pane.send("Escape")
        screen = try pane.waitFor { !$0.contains("▏") }
        #expect(!screen.contains("/is:re") && !screen.contains(" regressed "), "the line and its list are gone: \(screen)")
        try pane.send("j")
        screen = try pane.waitFor { $0.contains("triage  is:unresolved") }
        #expect(!screen.contains("▏") && !screen.contains("is:rej"), "j moved the list, typed nothing: \(screen)")
        try pane.send("q")
        #expect(try pane.waitFor { $0.contains("EXITED") }.contains("EXITED 0"))
    }

    /// Two TUIs open at once: each keeps the queries it ran when it quits, whichever quits last.
    @Test(.enabled(if: TmuxPane.available)) func test_twoTuisOpenAtOnceBothKeepTheirQueries() throws {
        let scratch = TemporaryDirectory()
        let store = try demoStore(scratch)
        var panes: [TmuxPane] = []
        for run in 0..<2 {
            let home = scratch.path + "/\(run)"
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
            let pane = try TmuxPane(command: "XDG_STATE_HOME=\(scratch.path)/state \(TriageProcess.binary) tui --store \(store)", home: home)
            _ = try pane.waitFor { $0.contains("Monitor failure") }
            panes.append(pane)
        }
        for (pane, query) in zip(panes, ["level:fatal", "level:warning"]) {
            try pane.send("/")
            try pane.send("-l", query)
            _ = try pane.waitFor { $0.contains("\(query)▏") }
            try pane.send("Enter")
            _ = try pane.waitFor { !$0.contains("▏") }
        }
        for pane in panes {
            try pane.send("q")
            _ = try pane.waitFor { $0.contains("EXITED 0") }
        }
        let history = try String(contentsOfFile: scratch.path + "/state/triage/history", encoding: .utf8)
        #expect(history == "is:unresolved level:fatal\nis:unresolved level:warning\n", "\(history)")
    }

    /// The terminal sends an accent and a joined emoji scalar by scalar: one Backspace takes the
    /// whole character, as it looks, in the real binary.
    @Test(.enabled(if: TmuxPane.available)) func test_backspaceTakesAWholeAccentedLetterOrJoinedEmoji() throws {
        let scratch = TemporaryDirectory()
        let pane = try TmuxPane(command: "\(TriageProcess.binary) tui --store \(try demoStore(scratch))", home: scratch.path)
        _ = try pane.waitFor { $0.contains("Monitor failure") }
        try pane.send("/", "C-u")
        try pane.send("-l", "cafe\u{301}")
        _ = try pane.waitFor { $0.contains("/cafe\u{301}▏") }
        try pane.send("BSpace")
        _ = try pane.waitFor { $0.contains("/caf▏") }
        try pane.send("C-u")
        try pane.send("-l", "x👩\u{200D}💻")
        _ = try pane.waitFor { $0.contains("💻▏") }
        try pane.send("BSpace")
        let screen = try pane.waitFor { $0.contains("/x▏") }
        #expect(!screen.contains("👩"), "\(screen)")
        try pane.send("Escape")
        _ = try pane.waitFor { !$0.contains("▏") }
        try pane.send("q")
        #expect(try pane.waitFor { $0.contains("EXITED") }.contains("EXITED 0"))
    }

    /// `--no-unicode`: the list and help draw their borders, marks and arrows in ASCII.
    @Test(.enabled(if: TmuxPane.available)) func test_noUnicodeDrawsNoGlyph() throws {
        let scratch = TemporaryDirectory()
        let pane = try TmuxPane(command: "\(TriageProcess.binary) tui --no-unicode --store \(try demoStore(scratch))", home: scratch.path)
        var screen = try pane.waitFor { $0.contains("Monitor failure") }
        try pane.send("?")
        screen += try pane.waitFor { $0.contains("Keys and queries") }
        let glyphs: Set<Character> = ["┌", "┐", "└", "┘", "─", "│", "▌", "●", "◉", "‖", "…", "↓", "↑", "·", "⏎", "✓", "🔔", "▁", "█"]
        #expect(screen.filter(glyphs.contains).isEmpty, "\(screen)")
        #expect(screen.contains("+-") && screen.contains("| "), "boxes in ASCII: \(screen)")
        try pane.send("q", "q")
        #expect(try pane.waitFor { $0.contains("EXITED") }.contains("EXITED 0"))
    }
}
