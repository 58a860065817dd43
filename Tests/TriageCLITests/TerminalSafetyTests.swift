import Foundation
import Testing
import TriageTestSupport

/// A real terminal (tmux) showing a group whose title, culprit, evidence and tags carry terminal
/// escapes: nothing reaches the terminal raw.
@Suite struct TerminalSafetyTests {
    @Test(.enabled(if: TmuxPane.available)) func test_hostileTextNeverDrivesTheTerminal() throws {
        let scratch = TemporaryDirectory()
        let spool = scratch.path + "/spool"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        let hostile = #"\u001b[2J\u001b]0;pwned\u0007\u001b]52;c;ZXZpbA==\u0007\u001b]8;;http://evil\u001b\\link\u001b]8;;\u001b\\\u009b31m\u202eevil\u200b"#
        let payload = #"{"id":"\#(String(repeating: "a", count: 32))","project_id":1,"fingerprint":["f"],"issue_title":"T\#(hostile)","subtitle":"S\#(hostile)","culprit":"C\#(hostile)","evidence_data":{"k":"\#(hostile)"},"evidence_display":[{"name":"N\#(hostile)","value":"V\#(hostile)","important":true}],"type":1,"detection_time":1790000000,"level":"error","event":{"event_id":"\#(String(repeating: "b", count: 32))","project_id":1,"platform":"python","environment":"prod","tags":{"t":"\#(hostile)"},"timestamp":1,"received":1}}"#
        try Data(payload.utf8).write(to: URL(fileURLWithPath: spool + "/a.json"))
        let store = scratch.path + "/store.sqlite"
        #expect(try TriageProcess.run(["ingest", "--spool", spool, "--store", store], home: scratch.path).status == 0)

        let pane = try TmuxPane(command: "\(TriageProcess.binary) tui --store \(store)", home: scratch.path)
        try pane.tmux(["set-option", "-s", "set-clipboard", "on"])
        _ = try pane.waitFor { $0.contains("pwned") }
        try pane.send("Enter")
        let screen = try pane.waitFor { $0.contains("Evidence data") }
        #expect(screen.contains("T␛[2J␛]0;pwned␇"), "shown as visible control pictures: \(screen)")
        #expect(screen.contains("▶ N␛[2J"))
        let raw = try pane.screen(escapes: true)
        #expect(!raw.contains("\u{1B}]"), "no OSC (title, clipboard, hyperlink) reached the terminal")
        #expect(!raw.contains("\u{1B}[2J"))
        #expect(try pane.tmux(["display-message", "-p", "#{pane_title}"]).contains("pwned") == false, "the window title is untouched")
        #expect((try? pane.tmux(["show-buffer"]))?.contains("evil") != true, "the payload's OSC 52 never reached the clipboard")
        try pane.send("q", "q")
        #expect(try pane.waitFor { $0.contains("EXITED 0") }.contains("EXITED 0"))
    }

    /// A NUL in a title is shown as ␀ with the rest of the title kept, and a negative project's
    /// short id (P-1-1) is one `show` and `id:` accept, on the real binary.
    @Test func test_aNulTitleOfANegativeProjectIsShownWholeAndFoundByItsShortID() throws {
        let scratch = TemporaryDirectory()
        let spool = scratch.path + "/spool"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        let payload = #"{"id":"\#(String(repeating: "c", count: 32))","project_id":-1,"fingerprint":["f"],"issue_title":"before\u0000after","subtitle":"","culprit":"","evidence_data":{},"evidence_display":[],"type":1,"detection_time":1790000000,"level":"error","event_id":"\#(String(repeating: "d", count: 32))"}"#
        try Data(payload.utf8).write(to: URL(fileURLWithPath: spool + "/a.json"))
        let store = scratch.path + "/store.sqlite"
        #expect(try TriageProcess.run(["ingest", "--spool", spool, "--store", store], home: scratch.path).status == 0)
        let list = try TriageProcess.run(["list", "--store", store, "--query", "id:P-1-1", "--plain"], home: scratch.path)
        #expect(list.status == 0 && list.stdout.contains("P-1-1") && list.stdout.contains("before␀after"), "\(list.stdout)\(list.stderr)")
        let show = try TriageProcess.run(["show", "P-1-1", "--store", store], home: scratch.path)
        #expect(show.status == 0 && show.stdout.contains("before␀after"), "\(show.stdout)\(show.stderr)")
        let json = try TriageProcess.run(["show", "p-1-1", "--store", store, "--json"], home: scratch.path)
        #expect(json.stdout.contains(#""title":"before\u0000after""#), "JSON keeps the NUL as JSON writes it")
    }
}
