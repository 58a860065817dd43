import Foundation
import Testing
import TriageTestSupport

/// The real `triage tui` in a real tmux pane: what an on-call engineer types and sees.
@Suite(.serialized) struct TuiTmuxTests {
    @Test(.enabled(if: TmuxPane.available)) func test_filterOpenDetailsResolveAndFollowInTmux() throws {
        let scratch = TemporaryDirectory()
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
        try pane.send("/", "C-u")
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
        let payload = PayloadBuilder.bare(id: 0xABAB, project: 4, fingerprint: "live-one", time: Date().timeIntervalSince1970.rounded(.down),
                                          title: "Arrived while watching").json
        try dropIntoSpool(payload, as: "new.json", into: spool)
        screen = try pane.waitFor { $0.contains("Arrived while watching") }
        #expect(screen.contains("Arrived while watching"))

        // Quit: the terminal is given back (the shell line after the UI shows up).
        try pane.send("q")
        screen = try pane.waitFor { $0.contains("EXITED 0") }
        #expect(screen.contains("EXITED 0"))
        #expect(!screen.contains("triage  is:unresolved"), "the alternate screen is gone")
    }

    /// The query line edits like a shell, under a TERM whose Home does not match tmux's (xterm's
    /// terminfo says `\eOH`, tmux sends `\e[1~`), and an unknown sequence costs nothing typed.
    @Test(.enabled(if: TmuxPane.available)) func test_theQueryLineEditsLikeAShell() throws {
        let scratch = TemporaryDirectory()
        let store = scratch.path + "/demo/triage.sqlite"
        try TriageProcess.run(["demo", "--no-tui", "--dir", scratch.path + "/demo"], home: scratch.path)
        let pane = try TmuxPane(command: "\(TriageProcess.binary) tui --store \(store)", home: scratch.path, term: "xterm-256color")
        _ = try pane.waitFor { $0.contains("Monitor failure") }
        func lastLine(_ screen: String) -> String {
            String(screen.split(separator: "\n", omittingEmptySubsequences: false).dropLast().last { !$0.isEmpty } ?? "")
        }
        func expectLine(_ prefix: String, _ comment: Comment) throws {
            let screen = try pane.waitFor { lastLine($0).hasPrefix(prefix) }
            #expect(lastLine(screen).hasPrefix(prefix), comment)
        }

        try pane.send("/")
        try expectLine("/is:unresolved ▏", "opens on the query and a space")
        try pane.send("-l", "level:fatal")
        var screen = try pane.waitFor { lastLine($0).hasPrefix("/is:unresolved level:fatal▏") && $0.contains("1 issue ") }
        #expect(screen.contains("1 issue "), "a term of its own, not is:unresolvedlevel:fatal: \(screen)")
        try pane.send("C-w")
        try expectLine("/is:unresolved ▏", "C-w removes the term")
        try pane.send("Home")
        try expectLine("/▏is:unresolved", "Home, though TERM's khome differs")
        try pane.send("C-k")
        try expectLine("/▏", "C-k kills to the end")
        try pane.send("C-y")
        try expectLine("/is:unresolved ▏", "C-y yanks it back")
        try pane.tmux(["send-keys", "-t", pane.name, "-H", "1b", "5b", "32", "35", "7e"])
        try pane.send("-l", "Monitor")
        screen = try pane.waitFor { lastLine($0).hasPrefix("/is:unresolved Monitor▏") }
        #expect(lastLine(screen).hasPrefix("/is:unresolved Monitor▏"), "an unknown sequence is read whole, nothing of it typed: \(lastLine(screen))")
        try pane.send("C-a", "M-f", "C-f", "C-d", "C-d")
        try expectLine("/is:▏resolved Monitor", "C-a, M-f and C-f move; C-d deletes under the cursor")
        try pane.send("C-e", "C-b", "C-b", "C-u")
        try expectLine("/▏or", "C-u kills to the start")
        try pane.send("C-y", "End", "BSpace", "BSpace")
        try expectLine("/is:resolved Monit▏", "End and Backspace")
        try pane.send("C-Left")
        try expectLine("/is:resolved ▏Monit", "Ctrl-← steps back a word (terminfo's kLFT5)")
        try pane.send("M-Left")
        try expectLine("/is:▏resolved Monit", "Alt-← too")
        try pane.send("C-Right", "M-Right")
        try expectLine("/is:resolved Monit▏", "Ctrl-→ and Alt-→ step forward")

        // A paste is text for the line (bracketed paste): its newline is a space, not Enter, and
        // nothing of it runs as list keys; pasted on the list, it does nothing at all.
        try pane.send("C-u")
        try pane.tmux(["set-buffer", "-b", "triage-test", "level:fatal\nrrr"])
        try pane.tmux(["paste-buffer", "-p", "-d", "-b", "triage-test", "-t", pane.name])
        try expectLine("/level:fatal rrr▏", "the pasted newline became a space")
        try pane.send("C-u")
        try pane.send("-l", "is:unresolved")
        try pane.send("Enter")
        _ = try pane.waitFor { !lastLine($0).hasPrefix("/") }
        try pane.tmux(["set-buffer", "-b", "triage-test", "r\nr"])
        try pane.tmux(["paste-buffer", "-p", "-d", "-b", "triage-test", "-t", pane.name])
        screen = try pane.waitFor { $0.contains("a paste goes into an input line") }
        #expect(screen.contains("nothing of it ran") && !screen.contains("→ resolved"), "\(screen)")
        try pane.send("/", "C-u")
        try pane.send("-l", "is:resolved Monit")
        try expectLine("/is:resolved Monit▏", "the line again")

        // At 50 columns a long line scrolls: the cursor and the error stay on screen.
        try pane.resize(width: 50, height: 20)
        try pane.send("-l", " type:monitor_check_in_failure level:fatal bogus:1")
        screen = try pane.waitFor { lastLine($0).contains("bogus:1▏") && $0.contains("✗") }
        let line = lastLine(screen)
        #expect(line.hasPrefix("/…") && line.contains("bogus:1▏") && line.contains("✗ column 61: unknown key"), "\(line)")
        try pane.send("Escape")
        _ = try pane.waitFor { !lastLine($0).hasPrefix("/") }
        try pane.send("q")
        #expect(try pane.waitFor { $0.contains("EXITED 0") }.contains("EXITED 0"))
    }

    /// A hidden mark makes an action ask; `:P1-3` finds a group the filter hides; `Tab` completes.
    @Test(.enabled(if: TmuxPane.available)) func test_hiddenMarksAskJumpToIdAndTabCompletionInTmux() throws {
        let scratch = TemporaryDirectory()
        let store = scratch.path + "/demo/triage.sqlite"
        try TriageProcess.run(["demo", "--no-tui", "--dir", scratch.path + "/demo"], home: scratch.path)
        try TriageProcess.run(["resolve", "P1-3", "--store", store], home: scratch.path)
        let pane = try TmuxPane(command: "\(TriageProcess.binary) tui --store \(store)", home: scratch.path)
        _ = try pane.waitFor { $0.contains("8 issues") }

        try pane.send("Space", "Space")
        _ = try pane.waitFor { $0.contains("2 marked") }
        try pane.send("/", "C-u")
        try pane.send("-l", "支払い")
        try pane.send("Enter")
        var screen = try pane.waitFor { $0.contains("1 issue ") && !$0.contains("/支払い") }
        try pane.send("r")
        screen = try pane.waitFor { $0.contains("not shown: resolve all? y/n") }
        #expect(screen.contains("2 marked, 2 not shown: resolve all? y/n") || screen.contains("2 marked, 1 not shown: resolve all? y/n"), "\(screen)")
        try pane.send("n")
        screen = try pane.waitFor { $0.contains("nothing changed; the marks are kept") }
        #expect(screen.contains("1 issue "), "nothing was resolved")

        try pane.send(":")
        try pane.send("-l", "P1-3")
        try pane.send("Enter")
        screen = try pane.waitFor { $0.contains("shown alone") }
        #expect(screen.contains("triage  id:P1-3"), "\(screen)")
        #expect(screen.contains("Monitor failure: poll_service"))

        try pane.send("/", "C-u")
        try pane.send("-l", "type:monit")
        try pane.send("Tab")
        screen = try pane.waitFor { $0.contains("/type:monitor_check_in_failure▏") }
        #expect(screen.contains("/type:monitor_check_in_failure▏"))
        try pane.send("-l", " is:re")
        // The list is already shown under the half-typed value: the first Tab steps into it.
        try pane.send("Tab")
        screen = try pane.waitFor { $0.contains("/type:monitor_check_in_failure is:resolved▏") }
        #expect(screen.contains("[resolved]") && screen.contains(" regressed"), "the candidates are listed, the one in the line marked: \(screen)")
        try pane.send("Enter")
        _ = try pane.waitFor { !$0.contains("▏") }
        try pane.send("q")
        #expect(try pane.waitFor { $0.contains("EXITED 0") }.contains("EXITED 0"))
    }

    /// `v` hands the payload to the pager (`less -R` by default) and the UI comes back where it was.
    @Test(.enabled(if: TmuxPane.available)) func test_vShowsThePayloadInThePagerAndReturnsToTheSamePlace() throws {
        let scratch = TemporaryDirectory()
        let store = scratch.path + "/demo/triage.sqlite"
        try TriageProcess.run(["demo", "--no-tui", "--dir", scratch.path + "/demo"], home: scratch.path)
        let pane = try TmuxPane(command: "\(TriageProcess.binary) tui --store \(store) --query type:monitor_check_in_failure", home: scratch.path)
        _ = try pane.waitFor { $0.contains("Monitor failure") }
        try pane.send("Enter")
        let details = try pane.waitFor { $0.contains("▶ Failure reason") }
        try pane.send("v")
        var screen = try pane.waitFor { $0.contains("\"issue_title\": \"Monitor failure") }
        #expect(screen.contains("\"evidence_display\": ["), "pretty-printed: \(screen)")
        #expect(!screen.contains("▶ Failure reason"), "the pager has the terminal")
        try pane.send("q")
        screen = try pane.waitFor { $0.contains("▶ Failure reason") }
        #expect(screen == details, "the same place, redrawn whole: \(screen)")
        try pane.send("q", "q")
        #expect(try pane.waitFor { $0.contains("EXITED") }.contains("EXITED 0"))
    }

    /// An empty store on a followed spool says it is watching, and the first file shows up.
    @Test(.enabled(if: TmuxPane.available)) func test_anEmptyStoreSaysItIsWatchingTheSpool() throws {
        let scratch = TemporaryDirectory()
        let spool = scratch.path + "/spool"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        let pane = try TmuxPane(command: "\(TriageProcess.binary) tui --store \(scratch.path)/s.sqlite --spool \(spool)", home: scratch.path)
        var screen = try pane.waitFor { $0.contains("no issues yet — watching \(spool)") }
        #expect(screen.contains("no issues yet — watching \(spool)"), "\(screen)")
        #expect(!screen.contains("ingesting…"), "the first pass is over")
        try pane.send("f")
        screen = try pane.waitFor { $0.contains("paused ‖ · 2s old") }
        #expect(screen.contains("paused ‖ · 2s old"), "paused, the age keeps growing: \(screen)")
        try pane.send("q")
        #expect(try pane.waitFor { $0.contains("EXITED") }.contains("EXITED 0"))
    }

    /// Files that land while following is paused wait in the spool, and the header counts them; on
    /// resuming they are ingested, and a file that fails is counted too.
    @Test(.enabled(if: TmuxPane.available)) func test_theHeaderCountsFilesWaitingAndFailed() throws {
        let scratch = TemporaryDirectory()
        let spool = scratch.path + "/spool"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        let pane = try TmuxPane(command: "\(TriageProcess.binary) tui --store \(scratch.path)/s.sqlite --spool \(spool)", home: scratch.path, width: 140)
        _ = try pane.waitFor { $0.contains("no issues yet — watching") }
        try pane.send("f")
        _ = try pane.waitFor { $0.contains("paused ‖") }
        let now = Int(Date().timeIntervalSince1970)
        for index in 1...3 {
            let payload = PayloadBuilder.bare(id: index, fingerprint: "f\(index)", time: Double(now), title: "Waiting \(index)").json
            try payload.write(toFile: spool + "/w\(index).json", atomically: true, encoding: .utf8)
        }
        try "{not json".write(toFile: spool + "/broken.json", atomically: true, encoding: .utf8)
        var screen = try pane.waitFor { $0.contains("4 files waiting") }
        #expect(screen.contains("0 issues · 4 files waiting ·") && !screen.contains("ingesting"), "paused, nothing is ingested: \(screen)")
        try pane.send("f")
        screen = try pane.waitFor { $0.contains("Waiting 3") && $0.contains("1 file with refused payloads") && !$0.contains("waiting ·") }
        #expect(screen.contains("3 issues · 1 file with refused payloads"), "\(screen)")
        try pane.send("q")
        #expect(try pane.waitFor { $0.contains("EXITED") }.contains("EXITED 0"))
    }

    /// A tracker that takes 5 s to answer does not freeze the screen: keys are served meanwhile.
    @Test(.enabled(if: TmuxPane.available)) func test_aSlowTrackerRunsOffTheUIThreadWhileKeysKeepWorking() throws {
        let scratch = TemporaryDirectory()
        let store = scratch.path + "/demo/triage.sqlite"
        try TriageProcess.run(["demo", "--no-tui", "--dir", scratch.path + "/demo"], home: scratch.path)
        let config = scratch.path + "/triage.toml"
        try """
            [plugins.slow]
            kind = "command"
            argv = ["/bin/sh", "-c", "cat > /dev/null; sleep 5; echo '{\\"id\\": 77, \\"url\\": \\"https://tickets.example.com/77\\", \\"title\\": \\"t\\"}'"]
            timeout = 20
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let pane = try TmuxPane(command: "\(TriageProcess.binary) tui --store \(store) --config \(config)", home: scratch.path)
        _ = try pane.waitFor { $0.contains("Monitor failure") }
        try pane.send("L")
        _ = try pane.waitFor { $0.contains("Trackers for") }
        let started = Date()
        try pane.send("c")
        var screen = try pane.waitFor { $0.contains("filing on slow…") }
        #expect(screen.contains("filing on slow…"))
        try pane.send("Escape")
        screen = try pane.waitFor { !$0.contains("Trackers for") }
        let before = screen.split(separator: "\n").firstIndex { $0.hasPrefix("▌") }
        try pane.send("j")
        screen = try pane.waitFor { $0.split(separator: "\n").firstIndex { $0.hasPrefix("▌") } != before }
        #expect(screen.split(separator: "\n").firstIndex { $0.hasPrefix("▌") } != before, "the cursor moved while the tracker worked")
        #expect(Date().timeIntervalSince(started) < 4, "keys were served before the tracker answered")
        #expect(screen.contains("filing on slow…"), "still working: \(screen)")
        // waitFor gives up after about 5 s; the tracker answers about 5 s after c.
        for _ in 0..<3 where !screen.contains("linked to 77") { screen = try pane.waitFor { $0.contains("linked to 77") } }
        #expect(screen.contains("P1-1: linked to 77 https://tickets.example.com/77"), "\(screen)")
        #expect(!screen.contains("filing on slow…"))
        try pane.send("q")
        #expect(try pane.waitFor { $0.contains("EXITED") }.contains("EXITED 0"))
    }

    /// A bad `--query` or `--theme` is a usage error, said before the terminal is taken.
    @Test func test_aBadQueryOrThemeExitsTwoWithOneLine() throws {
        let scratch = TemporaryDirectory()
        for arguments in [["--query", "is:bogus"], ["--theme", "nope"]] {
            let result = try TriageProcess.run(["tui", "--store", scratch.path + "/s.sqlite"] + arguments, home: scratch.path)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
            #expect(result.stderr.hasPrefix(arguments[0] == "--query" ? "triage: bad query: is: unknown status" : "triage: "), "\(result.stderr)")
            #expect(!result.stdout.contains("\u{1B}["), "the terminal was never taken")
        }
    }

    /// The `/` history outlives the session, in `$XDG_STATE_HOME/triage/history`.
    @Test(.enabled(if: TmuxPane.available)) func test_queryHistoryPersistsAcrossRuns() throws {
        let scratch = TemporaryDirectory()
        let store = scratch.path + "/demo/triage.sqlite"
        try TriageProcess.run(["demo", "--no-tui", "--dir", scratch.path + "/demo"], home: scratch.path)
        for run in 0..<2 {
            let home = scratch.path + "/\(run)"
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
            let pane = try TmuxPane(command: "XDG_STATE_HOME=\(scratch.path)/state \(TriageProcess.binary) tui --store \(store)", home: home)
            _ = try pane.waitFor { $0.contains("Monitor failure") }
            try pane.send("/")
            if run == 0 {
                try pane.send("-l", "level:fatal")
                _ = try pane.waitFor { $0.contains("level:fatal▏") }
            } else {
                try pane.send("Up")
                let screen = try pane.waitFor { $0.contains("/is:unresolved level:fatal▏") }
                #expect(screen.contains("/is:unresolved level:fatal▏"), "the last run's query is back: \(screen)")
            }
            try pane.send("Enter")
            _ = try pane.waitFor { !$0.contains("▏") }
            try pane.send("q")
            _ = try pane.waitFor { $0.contains("EXITED 0") }
        }
        let history = try String(contentsOfFile: scratch.path + "/state/triage/history", encoding: .utf8)
        #expect(history == "is:unresolved level:fatal\n")
    }

    @Test(.enabled(if: TmuxPane.available)) func test_dumbTerminalIsRefusedWithAClearMessage() throws {
        let scratch = TemporaryDirectory()
        let pane = try TmuxPane(command: "TERM=dumb \(TriageProcess.binary) tui --store \(scratch.path)/s.sqlite", home: scratch.path)
        let screen = try pane.waitFor { $0.contains("EXITED") }
        #expect(screen.contains("the terminal UI needs a terminal with cursor addressing (TERM=dumb); use `triage list` instead"))
        #expect(screen.contains("EXITED 1"))
    }

    /// The 24 h sparkline and USERS show on a wide terminal (blocks under UTF-8, ASCII with
    /// `--no-unicode`) and are the first columns to fold when it narrows.
    @Test(.enabled(if: TmuxPane.available)) func test_trendColumnsShowAndFoldFirstWhenNarrowed() throws {
        let scratch = TemporaryDirectory()
        let store = scratch.path + "/demo/triage.sqlite"
        try TriageProcess.run(["demo", "--no-tui", "--dir", scratch.path + "/demo"], home: scratch.path)
        func line(_ number: Int, of screen: String) -> Substring {
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.indices.contains(number) ? lines[number] : ""
        }
        let blocks = Set("▁▂▃▄▅▆▇█")
        let pane = try TmuxPane(command: "\(TriageProcess.binary) tui --store \(store)", home: scratch.path, width: 150)
        var screen = try pane.waitFor { $0.contains("Monitor failure") }
        #expect(line(1, of: screen).contains("USERS LAST 24H"), "\(screen)")
        #expect(screen.split(separator: "\n").dropFirst(2).contains { $0.contains { blocks.contains($0) } }, "a sparkline in the rows: \(screen)")

        try pane.resize(width: 135, height: 40)
        screen = try pane.waitFor { !line(1, of: $0).contains("USERS") }
        #expect(!line(1, of: screen).contains("LAST 24H"))
        #expect(line(1, of: screen).contains("CULPRIT"), "the trend columns fold before the culprit: \(screen)")
        #expect(!screen.split(separator: "\n").dropFirst(2).contains { $0.contains { blocks.contains($0) } })

        try FileManager.default.createDirectory(atPath: scratch.path + "/ascii", withIntermediateDirectories: true)
        let ascii = try TmuxPane(command: "\(TriageProcess.binary) tui --no-unicode --store \(store)", home: scratch.path + "/ascii", width: 150)
        screen = try ascii.waitFor { $0.contains("Monitor failure") }
        #expect(line(1, of: screen).contains("USERS LAST 24H"))
        #expect(!screen.split(separator: "\n").dropFirst(2).contains { $0.contains { blocks.contains($0) } }, "ASCII only: \(screen)")
        #expect(screen.split(separator: "\n").dropFirst(2).contains { $0.contains("#") })

        // A locale that is not UTF-8 gets the same ASCII without the flag.
        try FileManager.default.createDirectory(atPath: scratch.path + "/c-locale", withIntermediateDirectories: true)
        let cLocale = try TmuxPane(command: "env LANG=C \(TriageProcess.binary) tui --store \(store)", home: scratch.path + "/c-locale", width: 150)
        screen = try cLocale.waitFor { line(1, of: $0).contains("USERS LAST 24H") }
        #expect(!screen.split(separator: "\n").dropFirst(2).contains { $0.contains { blocks.contains($0) } }, "ASCII only: \(screen)")
        #expect(screen.split(separator: "\n").dropFirst(2).contains { $0.contains("#") }, "\(screen)")
    }

    @Test(.enabled(if: TmuxPane.available)) func test_resizeRelaysOutAtOnceAndCopyReachesTheClipboard() throws {
        let scratch = TemporaryDirectory()
        let store = scratch.path + "/demo/triage.sqlite"
        try TriageProcess.run(["demo", "--no-tui", "--dir", scratch.path + "/demo"], home: scratch.path)
        let pane = try TmuxPane(command: "\(TriageProcess.binary) tui --store \(store)", home: scratch.path)
        func line(_ number: Int, of screen: String) -> Substring {
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.indices.contains(number) ? lines[number] : ""
        }
        var screen = try pane.waitFor { $0.contains("Monitor failure") }
        #expect(line(1, of: screen).contains("TYPE"))

        try pane.resize(width: 70, height: 20)
        screen = try pane.waitFor { line(1, of: $0).hasPrefix(" LVL TITLE") }
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[1].hasPrefix(" LVL TITLE"), "TYPE is the first column to go when narrow: \(screen)")
        #expect(lines.prefix(20).allSatisfy { $0.count <= 70 })
        #expect(lines[19].hasPrefix(" j k move"), "the status line moved to the new last row")

        // Esc with a resize right behind it (one tmux command, so within the Esc's pause): the Esc is
        // the Esc key and the resize is still handled.
        try pane.tmux(["send-keys", "-t", pane.name, "Escape", ";", "resize-window", "-t", pane.name, "-x", "90", "-y", "24"])
        let statusLineAt24 = { (screen: String) in !line(23, of: screen).trimmingCharacters(in: .whitespaces).isEmpty }
        screen = try pane.waitFor(statusLineAt24)
        #expect(statusLineAt24(screen), "laid out for 24 rows, the status line on the last: \(screen)")
        #expect(!screen.contains("does nothing here"), "no Alt-resize: \(screen)")

        // OSC 52 reaches tmux (with set-clipboard on, tmux keeps it as a paste buffer).
        try pane.tmux(["set-option", "-s", "set-clipboard", "on"])
        try pane.send("y")
        _ = try pane.waitFor { $0.contains("copied: P") }
        let buffer = try pane.tmux(["show-buffer"])
        #expect(buffer.hasPrefix("P1-") || buffer.hasPrefix("P2-") || buffer.hasPrefix("P3-"), "\(buffer)")
        #expect(buffer.count > 6)
        try pane.send("q")
        #expect(try pane.waitFor { $0.contains("EXITED 0") }.contains("EXITED 0"))
    }

    @Test(.enabled(if: TmuxPane.available)) func test_configSetsThemeAndKeysAndReportsUnknownBindings() throws {
        let scratch = TemporaryDirectory()
        let store = scratch.path + "/demo/triage.sqlite"
        try TriageProcess.run(["demo", "--no-tui", "--dir", scratch.path + "/demo"], home: scratch.path)
        let config = scratch.path + "/triage.toml"
        try """
            [ui]
            theme = "high-contrast"
            [keys]
            resolve = "R"
            resolv = "x"
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let pane = try TmuxPane(command: "\(TriageProcess.binary) tui --store \(store) --config \(config) --query 'type:monitor_check_in_failure'",
                                home: scratch.path)
        var screen = try pane.waitFor { $0.contains("Monitor failure") }
        #expect(screen.contains("[keys] resolv: no such command"))
        let selected = try #require(try pane.screen(escapes: true).split(separator: "\n").first { $0.contains("Monitor failure") })
        #expect(selected.contains("\u{1B}[103m") || selected.contains("48;5;11"), "high-contrast: bright yellow selection")
        try pane.send("r")
        screen = try pane.waitFor { $0.contains("does nothing here") }
        try pane.send("R")
        screen = try pane.waitFor { $0.contains("→ resolved") }
        #expect(screen.contains("unresolved/new → resolved"))
        try pane.send("q")
        #expect(try pane.waitFor { $0.contains("EXITED 0") }.contains("EXITED 0"))
    }

    @Test(.enabled(if: TmuxPane.available), arguments: ["xterm-256color", "screen-256color", "tmux-256color", "xterm"])
    func test_rendersOnEachCommonTermAndFoldsColoursOnEightColourTerminals(term: String) throws {
        let scratch = TemporaryDirectory()
        let store = scratch.path + "/demo/triage.sqlite"
        try TriageProcess.run(["demo", "--no-tui", "--dir", scratch.path + "/demo"], home: scratch.path)
        let pane = try TmuxPane(command: "\(TriageProcess.binary) tui --store \(store) --theme light", home: scratch.path, term: term)
        let screen = try pane.waitFor { $0.contains("Monitor failure") }
        #expect(screen.contains("支払いゲートウェイがタイムアウトしました (payment gateway timeout)"))
        let coloured = try pane.screen(escapes: true)
        let selected = try #require(coloured.split(separator: "\n").first { $0.contains("▌") })
        if term == "xterm" {
            #expect(!coloured.contains("38;5;") && !coloured.contains("48;5;"), "8 colours: 256-colour indexes fall back")
            #expect(selected.contains("\u{1B}[47m"), "light blue 153 falls back to white")
        } else {
            #expect(selected.contains("48;5;153"), "the light theme's selected row")
        }
        try pane.send("q")
        #expect(try pane.waitFor { $0.contains("EXITED") }.contains("EXITED 0"))
    }

    @Test(.enabled(if: TmuxPane.available)) func test_terminalIsGivenBackOnCtrlCAndOnACrash() throws {
        let scratch = TemporaryDirectory()
        let store = scratch.path + "/s.sqlite"
        for (index, ending) in ["ctrl-c", "crash"].enumerated() {
            let home = scratch.path + "/\(index)"
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
            let pane = try TmuxPane(command: "\(TriageProcess.binary) tui --store \(store)", home: home)
            _ = try pane.waitFor { $0.contains("no issues match") }
            if ending == "ctrl-c" {
                try pane.send("C-c")
            } else {
                let pid = try pane.tmux(["list-panes", "-F", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
                let children = try TriageProcess.shell("pgrep -P \(pid) -f 'triage tui'")
                #expect(kill(pid_t(children.trimmingCharacters(in: .whitespacesAndNewlines))!, SIGSEGV) == 0)
            }
            let screen = try pane.waitFor { $0.contains("TTY ") }
            #expect(screen.contains(ending == "ctrl-c" ? "EXITED 0" : "EXITED 139"), "\(ending): \(screen)")
            let tty = try #require(screen.split(separator: "\n").first { $0.hasPrefix("TTY ") }).split(separator: " ")
            #expect(tty.contains("echo") && tty.contains("icanon"), "\(ending): cooked mode is back, not -echo -icanon")
            #expect(!screen.contains("triage  is:unresolved"), "\(ending): the alternate screen is gone")
        }
    }

    /// Keys come first in a flood: the TUI's ingest threads run at nice +10, its UI thread as started.
    @Test(.enabled(if: TmuxPane.available)) func test_theTuisIngestThreadsRunBelowTheUisPriority() throws {
        let scratch = TemporaryDirectory()
        let spool = scratch.path + "/spool"
        try TriageProcess.run(["gen", "--out", spool, "--occurrences", "40", "--per-file", "10", "--bad-fraction", "0.1", "--seed", "3"],
                              home: scratch.path)
        let pane = try TmuxPane(command: "\(TriageProcess.binary) tui --store \(scratch.path)/store.sqlite --spool \(spool)", home: scratch.path)
        _ = try pane.waitFor { $0.contains("following ●") && $0.contains("issues") }
        let pid = try #require(Int(try TriageProcess.shell("pgrep -f '^\(TriageProcess.binary) tui --store \(scratch.path)/'")
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        // Each task's name and nice value (field 19 of its stat, counted after the parenthesised name).
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task").compactMap { task -> (tid: Int, name: String, nice: Int)? in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/stat", encoding: .utf8),
                  let open = stat.firstIndex(of: "("), let close = stat.range(of: ") ", options: .backwards),
                  let tid = Int(task), let nice = Int(stat[close.upperBound...].split(separator: " ")[19 - 3]) else { return nil }
            return (tid, String(stat[stat.index(after: open)..<close.lowerBound]), nice)
        }
        let ui = try #require(tasks.first { $0.tid == pid })
        let ingest = tasks.filter { $0.name.hasPrefix("triage.") }
        #expect(Set(ingest.map(\.name)) == ["triage.follow", "triage.decode-a", "triage.spool-mo", "triage.failed-o", "triage.backlog"], "the spool backlog count too: \(tasks)")
        #expect(ingest.allSatisfy { $0.nice == min(19, ui.nice + 10) }, "\(tasks)")
        try pane.send("q")
        #expect(try pane.waitFor { $0.contains("EXITED 0") }.contains("EXITED 0"))
    }
}
