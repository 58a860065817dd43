import Foundation
import Testing
import TriageEngine
@testable import TriageUI
import TriageTestSupport

/// Titles, culprits, evidence and tags that try to drive the terminal: every cell on the grid must
/// be inert text.
@Suite struct HostileTextTests {
    /// ESC/CSI/OSC (clear screen, set title, clipboard write, hyperlink), C0 and C1 controls, bidi
    /// overrides and zero-width characters, as JSON string escapes.
    static let hostile = #"\u001b[2J\u001b]0;pwned\u0007\u001b]52;c;ZXZpbA==\u0007\u001b]8;;http://evil\u001b\\link\u001b]8;;\u001b\\ \u0085\u009b31m\u202eevil\u2066\u200b\ufeff\u0008\u007f"#

    static func isDangerous(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || (0x7F...0x9F).contains(value) || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
            || (0x200B...0x200F).contains(value) || value == 0xFEFF
    }

    @Test func test_everyScreenShowsHostileTextInertly() throws {
        let workspace = try Workspace.forUI()
        let evidence = #"[{"name":"N\#(Self.hostile)","value":"V\#(Self.hostile)","important":true}]"#
        var payload = Workspace.occurrence(1, fingerprint: "h", title: "T\(Self.hostile)", evidence: evidence)
        payload = payload.replacingOccurrences(of: #""culprit":"app.py""#, with: #""culprit":"C\#(Self.hostile)""#)
        payload = payload.replacingOccurrences(of: #""tags":{"region":"eu"}"#, with: #""tags":{"k\#(Self.hostile)":"v\#(Self.hostile)"}"#)
        try workspace.ingest([payload])
        let app = try workspace.app(width: 200, height: 60)
        var screens = [app.render()]
        app.handle(.enter)
        screens.append(app.render())
        #expect(screens[1].text.contains("pwned"), "the text is shown, made inert, not dropped")
        app.handle(.character("y"))
        for grid in screens {
            for y in 0..<grid.height {
                for x in 0..<grid.width {
                    let dangerous = grid[x, y].text.unicodeScalars.filter(Self.isDangerous)
                    #expect(dangerous.isEmpty, "cell \(x),\(y) holds U+\(String(dangerous.first?.value ?? 0, radix: 16))")
                }
            }
        }
        #expect(screens[1].text.contains("␛[2J"), "ESC shows as its control picture")
        guard case let .copy(copied)? = app.state.effects.last else { Issue.record("y copies"); return }
        #expect(!copied.unicodeScalars.contains(where: Self.isDangerous), "what y puts on the clipboard is inert too")
    }

    /// A NUL is a control character like any other: shown as `␀` where it is, the rest of the title
    /// after it kept, in the list, in details and in what the store reads back (a C string ended there).
    @Test func test_aNulInATitleIsShownNotCut() throws {
        let workspace = try Workspace.forUI()
        var payload = Workspace.occurrence(1, fingerprint: "nul", title: #"before\u0000after"#)
        payload = payload.replacingOccurrences(of: #""culprit":"app.py""#, with: #""culprit":"app\u0000.py""#)
        try workspace.ingest([payload])
        let group = try workspace.store.group("1")
        #expect(group.title == "before\u{0}after")
        #expect(group.culprit == "app\u{0}.py")
        #expect(try workspace.store.groups(matching: .all, sort: .lastSeen, limit: 1, offset: 0).first?.title == "before\u{0}after")
        let app = try workspace.app(width: 140, height: 30)
        #expect(app.render().text.contains("before␀after"), "the list: \(app.render().line(2))")
        app.handle(.enter)
        let details = app.render().text
        #expect(details.contains("before␀after"), "details: \(details)")
        #expect(details.contains("app␀.py"))
    }
}
