import Testing
import TriageEngine
@testable import TriageUI

/// A word that may still become a key (`ti` on its way to `times_seen:`) is not searched as text
/// while it is typed: the line says so, and Enter searches it.
@Suite struct HeldKeyWordTests {
    private func app() throws -> TriageApp {
        let workspace = try UIWorkspace()
        try workspace.ingest([
            UIWorkspace.occurrence(1, fingerprint: "a", title: "Timeout in checkout", time: 1_790_000_500),
            UIWorkspace.occurrence(2, fingerprint: "b", title: "Disk full", time: 1_790_000_400),
            UIWorkspace.occurrence(3, fingerprint: "c", title: "Timeout in search", time: 1_790_000_300),
        ])
        return try workspace.app()
    }

    @Test func test_aKeysStartIsHeldOutOfTheLiveQueryAndEnterSearchesItAsText() throws {
        let app = try app()
        app.handle(.character("/"))
        for character in "ti" { app.handle(.character(character)) }
        let grid = app.render()
        #expect(app.state.editor?.heldWord == "ti")
        #expect(app.state.list.query.source == "is:unresolved ", "the list keeps the query without the held word")
        #expect(app.state.list.total == 3)
        #expect(grid.line(19).contains("“ti” may become a key; Enter searches it as text"))
        app.handle(.enter)
        #expect(app.state.editor == nil)
        #expect(app.state.list.query.source == "is:unresolved ti")
        #expect(app.state.list.rows.map(\.title) == ["Timeout in checkout", "Timeout in search"])
    }

    @Test func test_aWordIsSearchedLiveOnceItCannotBeAKey() throws {
        let app = try app()
        app.handle(.character("/"))
        for character in "tim" { app.handle(.character(character)) }
        #expect(app.state.editor?.heldWord == "tim", "times_seen: starts so")
        for character in "eo" { app.handle(.character(character)) }
        #expect(app.state.editor?.heldWord == nil)
        #expect(app.state.list.total == 2, "timeo is no key's start: searched as typed")
        app.handle(.control("u"))
        for character in "!lev" { app.handle(.character(character)) }
        #expect(app.state.editor?.heldWord == "!lev", "a negated key on its way")
        #expect(app.state.list.query.source == "")
        for character in "el:info" { app.handle(.character(character)) }
        #expect(app.state.editor?.heldWord == nil)
        #expect(app.state.list.query.source == "!level:info")
        app.handle(.character(" "))
        for character in "di" { app.handle(.character(character)) }
        #expect(app.state.editor?.heldWord == nil, "no key starts with d")
        #expect(app.state.list.rows.map(\.title) == ["Disk full"])
    }

    @Test func test_aWordUnderTheCursorMidLineIsNotHeld() {
        var line = LineEditor("is tim", cursor: 2)
        #expect(QuerySyntax.keyPrefixBeingTyped(line) == 0..<2)
        line = LineEditor("is tim", cursor: 1)
        #expect(QuerySyntax.keyPrefixBeingTyped(line) == nil, "the cursor is inside the word")
        #expect(QuerySyntax.keyPrefixBeingTyped(LineEditor("\"is")) == nil, "quoted: text")
        #expect(QuerySyntax.keyPrefixBeingTyped(LineEditor("is ")) == nil, "a finished word is searched")
    }
}
