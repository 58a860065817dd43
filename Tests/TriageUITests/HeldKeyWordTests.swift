import GRDB
import Testing
@testable import TriageEngine
@testable import TriageUI
import TriageTestSupport

/// A word that may still become a key (`ti` on its way to `times_seen:`) is not searched as text
/// while it is typed: the line says so, and Enter searches it.
@Suite struct HeldKeyWordTests {
    private func app() throws -> TriageApp {
        try Workspace.twoTimeoutsAndADiskFull().app()
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

    /// `!le` is on its way to `!level:`; Enter refuses a negated word, so the hint promises no search.
    @Test func test_aNegatedKeysStartPromisesNoSearch() throws {
        let app = try app()
        app.handle(.character("/"))
        app.handle(.control("u"))
        for character in "!le" { app.handle(.character(character)) }
        let line = app.render().line(19)
        #expect(line.contains("“!le” may become a key to leave out (!level:info)"), "\(line)")
        #expect(!line.contains("searches"))
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

    /// `level:err` on its way to `level:error` lists the values it may become, not an error; a value
    /// nothing starts with is an error at once, and Enter on a half-typed one says why it cannot run.
    @Test func test_aKnownValuesPrefixShowsItsCandidatesNotAnError() throws {
        let app = try app()
        app.handle(.character("/"))
        app.handle(.control("u"))
        for character in "level:err" { app.handle(.character(character)) }
        var grid = app.render()
        #expect(app.state.editor?.error == nil)
        #expect(app.state.editor?.heldWord == "level:err")
        #expect(!grid.line(19).contains("✗"), "\(grid.line(19))")
        #expect(grid.line(18).contains(" error "), "the candidates are listed: \(grid.line(18))")
        #expect(app.state.list.total == 3, "the rest of the line runs live")
        for character in "or" { app.handle(.character(character)) }
        #expect(app.state.editor?.heldWord == nil)
        #expect(app.state.list.query.source == "level:error")
        for character in ",wa" { app.handle(.character(character)) }
        #expect(app.state.editor?.error == nil, "a list's last item is held as well")
        app.handle(.tab)
        #expect(app.state.editor?.text == "level:error,warning", "Tab completes the held value in place")
        app.handle(.control("u"))
        for character in "level:x" { app.handle(.character(character)) }
        grid = app.render()
        #expect(app.state.editor?.error != nil, "no level starts with x")
        #expect(grid.line(19).contains("✗"))
        app.handle(.control("u"))
        for character in "level:" { app.handle(.character(character)) }
        #expect(app.state.editor?.error == nil, "a key's colon just typed waits for its value")
        app.handle(.enter)
        #expect(app.state.editor != nil, "Enter on a half-typed value keeps the line")
        #expect(app.state.editor?.error != nil, "and says why it cannot run")
    }

    @Test func test_theWordUnderTheCursorIsHeldWhereverTheCursorIsInIt() {
        var line = LineEditor("is tim", cursor: 2)
        #expect(QuerySyntax.keyPrefixBeingTyped(line) == 0..<2)
        line = LineEditor("is tim", cursor: 1)
        #expect(QuerySyntax.keyPrefixBeingTyped(line) == 0..<2, "the cursor is inside the word: the word is still being typed")
        line = LineEditor("is tim", cursor: 4)
        #expect(QuerySyntax.keyPrefixBeingTyped(line) == 3..<6)
        #expect(QuerySyntax.keyPrefixBeingTyped(LineEditor("\"is")) == nil, "quoted: text")
        #expect(QuerySyntax.keyPrefixBeingTyped(LineEditor("is ")) == nil, "a finished word is searched")
    }

    @Test func test_aNeedleFoundByScanningIsCountedOnlyAsDeepAsTheView() throws {
        let workspace = try Workspace.forUI()
        try workspace.ingest((1...60).map { Workspace.occurrence($0, fingerprint: "g\($0)", title: "Group \($0)", time: 1_790_000_000 + Double($0)) })
        // As if thousands of groups held "gr": too common for postings, so it is scanned.
        try workspace.store.write { db in
            let gram = ShortGramIndex.gram(of: "gr")!
            try db.execute(sql: "UPDATE groups_grams SET posted = 0 WHERE gram = ?", arguments: [gram])
            try db.execute(sql: "DELETE FROM groups_gram_postings WHERE gram = ?", arguments: [gram])
        }
        let app = try workspace.app(height: 12, query: "gr")
        #expect(app.state.list.total == 18, "2 × (selection + 9 rows a page), not the cap of 10,000")
        #expect(app.render().line(0).contains("18+ issues"))
        app.handle(.control("d"))
        #expect(app.state.list.total == 36, "scrolling on counts further: 2 × (9 + 9)")
        app.handle(.character("G"))
        #expect(app.state.list.totalIsExact && app.state.list.total == 60)
        let rare = try workspace.app(height: 12, query: "p 1")
        #expect(rare.state.list.totalIsExact, "a needle looked up is counted to the cap as before")
    }
}
