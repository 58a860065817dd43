import Foundation
import Testing
import TriageEngine
@testable import TriageUI
import TriageTestSupport

/// The type picker, stepping through occurrences, the mouse, and copying.
@Suite struct TypePickerTests {
    private func workspace() throws -> Workspace {
        let workspace = try Workspace.forUI(holding: [
            Workspace.occurrence(1, fingerprint: "e1", title: "Error one"),
            Workspace.occurrence(2, fingerprint: "e2", title: "Error two"),
            Workspace.occurrence(3, fingerprint: "m", title: "Monitor down", type: 4001),
            Workspace.occurrence(4, fingerprint: "u", title: "Uptime down", type: 7001),
        ])
        return workspace
    }

    @Test func test_pickerListsTheTypesPresentWithCountsAndFiltersByTheChosenOnes() throws {
        let app = try workspace().app(height: 30, query: "is:unresolved type:error")
        app.handle(.character("t"))
        var grid = app.render()
        let error = try #require(grid.rows(containing: "[x] error").first, "the query's own type is pre-chosen")
        #expect(grid.line(error).contains("error                     2"))
        #expect(grid.text.contains("[ ] monitor_check_in_failure  1"), "counts ignore the query's type term")
        #expect(grid.text.contains("[ ] uptime_domain_failure     1"))
        app.handle(.character("j"))
        app.handle(.character(" "))
        app.handle(.enter)
        #expect(app.state.list.query.source == "is:unresolved type:error,monitor_check_in_failure")
        #expect(app.state.list.total == 3)
        // With nothing toggled, Enter takes the type under the cursor.
        app.handle(.character("t"))
        app.handle(.character(" "))
        app.handle(.character("j"))
        app.handle(.character(" "))
        app.handle(.character("j"))
        grid = app.render()
        #expect(grid.text.contains("[ ] error"))
        #expect(grid.text.contains("▌[ ] uptime_domain_failure"))
        app.handle(.enter)
        #expect(app.state.list.query.source == "is:unresolved type:uptime_domain_failure")
        #expect(app.state.list.total == 1)
    }

    @Test func test_escapeOnTheListResetsTheQuerySayingWhatItWasAndHowToGetItBack() throws {
        let app = try workspace().app(height: 30)
        app.handle(.character("/"))
        for character in "level:warning" { app.handle(.character(character)) }
        app.handle(.enter)
        #expect(app.state.list.query.source == "is:unresolved level:warning")
        app.handle(.escape)
        #expect(app.state.list.query.source == "is:unresolved")
        #expect(app.state.message?.text == "query reset to is:unresolved; it was is:unresolved level:warning (/ then ↑ brings it back)")
        app.handle(.escape)
        #expect(app.state.message?.text == "q quits", "a second Esc changes nothing")
    }

    @Test func test_escapeClosesThePickerWithoutFiltering() throws {
        let app = try workspace().app(height: 30)
        app.handle(.character("t"))
        app.handle(.escape)
        #expect(app.state.list.query.source == "is:unresolved")
        #expect(!app.render().text.contains("Types"))
    }
}

@Suite struct OccurrenceStepTests {
    @Test func test_bracketsStepThroughTheGroupsOccurrences() throws {
        let workspace = try Workspace.forUI()
        try workspace.ingest((1...3).map { Workspace.occurrence($0, fingerprint: "same", title: "Repeated", time: 1_790_000_000 + Double($0) * 60) })
        let app = try workspace.app(height: 40)
        app.handle(.enter)
        #expect(app.render().text.contains("occurrence  3 of 3 (newest)  detected 2026-09-21T"))
        app.handle(.character("]"))
        #expect(app.state.message?.text == "this is the newest occurrence")
        app.handle(.character("["))
        app.handle(.character("["))
        #expect(app.render().text.contains("occurrence  1 of 3  detected"))
        #expect(app.state.detail?.details.payload.map { String(decoding: $0, as: UTF8.self) }?.contains(String(format: "%032x", 1)) == true)
        app.handle(.character("["))
        #expect(app.state.message?.text == "this is the oldest occurrence")
        // A new occurrence arriving keeps the reader on the one they were reading.
        try workspace.ingest([Workspace.occurrence(9, fingerprint: "same", title: "Repeated", time: 1_790_000_500)])
        try app.dataChanged()
        #expect(app.render().text.contains("occurrence  1 of 4"))
    }

    @Test func test_aGroupWithOccurrencesRemovedByRetentionSaysHowManyAreKept() throws {
        var settings = EngineSettings()
        settings.keepOccurrences = 2
        let workspace = try Workspace.forUI(settings: settings)
        try workspace.ingest((1...5).map { Workspace.occurrence($0, fingerprint: "same", title: "Repeated", time: 1_790_000_000 + Double($0) * 60) })
        let app = try workspace.app(height: 40)
        app.handle(.enter)
        let text = app.render().text
        #expect(text.contains("occurrence  2 of 2 kept (newest)"))
        #expect(text.contains("events      5"))
    }
}

@Suite struct MouseAndClipboardTests {
    @Test func test_clickSelectsDoubleClickOpensWheelScrolls() throws {
        let workspace = try Workspace.forUI()
        try workspace.ingest((1...10).map { Workspace.occurrence($0, fingerprint: "g\($0)", title: "Group \($0)", time: 1_790_000_000 + Double($0)) })
        let app = try workspace.app(height: 20)
        app.handle(.mouse(MouseEvent(kind: .click, x: 10, y: 4)))
        #expect(app.state.list.selected == 2)
        app.handle(.mouse(MouseEvent(kind: .wheelDown, x: 10, y: 4)))
        #expect(app.state.list.selected == 5)
        app.handle(.mouse(MouseEvent(kind: .click, x: 10, y: 0)))
        #expect(app.state.list.selected == 5, "the header is not a row")
        app.handle(.mouse(MouseEvent(kind: .doubleClick, x: 10, y: 3)))
        #expect(app.state.detail?.details.group.title == "Group 9")
        app.handle(.escape)
        app.handle(.character("m"))
        app.handle(.mouse(MouseEvent(kind: .click, x: 10, y: 2)))
        #expect(app.state.list.selected == 1, "mouse off: clicks belong to the terminal")
        #expect(app.takeEffects() == [.mouse(false)])
    }

    @Test func test_copyPutsTheSanitisedIdAndTitleOnTheClipboard() throws {
        let workspace = try Workspace.forUI(holding: [Workspace.occurrence(1, fingerprint: "x", title: #"evil \u001b]0;pwned\u0007 title"#)])
        let app = try workspace.app()
        app.handle(.character("y"))
        let effects = app.takeEffects()
        #expect(effects == [.copy("P1-1 evil ␛]0;pwned␇ title")])
    }

    @Test func test_osc52IsBase64AndWrappedForMultiplexers() {
        #expect(ClipboardSequence.osc52("P1-1 hé", multiplexer: .none) == "\u{1B}]52;c;UDEtMSBow6k=\u{07}")
        let tmux = ClipboardSequence.osc52("x", multiplexer: .tmux)
        #expect(tmux.hasPrefix("\u{1B}]52;c;eA==\u{07}\u{1B}Ptmux;\u{1B}\u{1B}]52;c;eA==\u{07}\u{1B}\\"))
        #expect(ClipboardSequence.osc52("x", multiplexer: .screen) == "\u{1B}P\u{1B}]52;c;eA==\u{07}\u{1B}\\")
        // Capped, and never cut inside a character.
        let long = String(repeating: "é", count: ClipboardSequence.maxBytes)
        let encoded = ClipboardSequence.osc52(long, multiplexer: .none).dropFirst(7).dropLast()
        let decoded = Foundation.Data(base64Encoded: String(encoded)).map { String(decoding: $0, as: UTF8.self) }
        #expect(decoded == String(repeating: "é", count: ClipboardSequence.maxBytes / 2))
    }
}

@Suite struct NoiseOverlayTests {
    @Test func test_noiseHeldOccurrencesAreVisibleFromTheList() throws {
        let workspace = try Workspace.forUI()
        // performance_n_plus_one_db_queries (1006) needs 3 within a day: two are held.
        try workspace.ingest([
            Workspace.occurrence(1, fingerprint: "n1", title: "N+1", type: 1006, time: 1_790_000_100),
            Workspace.occurrence(2, fingerprint: "n1", title: "N+1", type: 1006, time: 1_790_000_200),
        ])
        let app = try workspace.app(height: 30, query: "")
        #expect(app.state.list.total == 0)
        app.handle(.character("N"))
        let grid = app.render()
        let row = try #require(grid.rows(containing: "performance_n_plus_one_db_q…").first)
        #expect(grid.line(row).contains("P1  n1  N+1  2 held"), "the newest held occurrence's title beside its fingerprint")
        #expect(grid.line(row).contains("2 held · window 2/3"))
        app.handle(.character("x"))
        #expect(app.render().text.contains("Held as noise"), "a stray key is not lost closing it")
        app.handle(.escape)
        #expect(!app.render().text.contains("Held as noise"))
    }

    /// A key whose window is over (its payloads no longer count toward the limit, as `triage list
    /// --noise` shows with 0) is marked expired; one still counting is not.
    @Test func test_keysWhoseWindowIsOverAreMarkedExpired() throws {
        let workspace = try Workspace.forUI()
        try workspace.ingest([
            Workspace.occurrence(1, fingerprint: "old", title: "N+1 old", type: 1006, time: 1_789_700_000),
            Workspace.occurrence(2, fingerprint: "old", title: "N+1 old", type: 1006, time: 1_789_700_100),
            Workspace.occurrence(3, fingerprint: "new", title: "N+1 new", type: 1006, time: 1_790_000_100),
        ])
        let app = try workspace.app(width: 140, height: 30, query: "")
        app.handle(.character("N"))
        let grid = app.render()
        let old = grid.line(try #require(grid.rows(containing: "N+1 old").first))
        let new = grid.line(try #require(grid.rows(containing: "N+1 new").first))
        #expect(old.contains("2 held · window 0/3 (expired)"), "\(old)")
        #expect(new.contains("1 held · window 1/3 ·"), "\(new)")
        #expect(!new.contains("expired"))
    }

    /// At 80 and 60 columns a long fingerprint and title give way (with `…`); the counts, the last
    /// column, are whole on every line.
    @Test(arguments: [80, 60])
    func test_noiseColumnsFitTheWidthAndNeverCutTheCounts(width: Int) throws {
        let workspace = try Workspace.forUI()
        let fingerprint = String(repeating: "f", count: 40)
        let title = "A very long title for a noisy N+1 query that will not fit"
        try workspace.ingest([
            Workspace.occurrence(1, fingerprint: fingerprint, title: title, type: 1006, time: 1_790_000_100),
            Workspace.occurrence(2, fingerprint: fingerprint, title: title, type: 1006, time: 1_790_000_200),
        ])
        let app = try workspace.app(width: width, height: 30, query: "")
        app.handle(.character("N"))
        let grid = app.render()
        let row = try #require(grid.rows(containing: "P1  ").first)
        #expect(grid.line(row).contains("2 held · window 2/3 · "), "\(grid.line(row))")
        #expect(grid.line(row).contains(" ago │"), "the counts end where the box does: \(grid.line(row))")
        #expect(grid.line(row).contains("…"), "what gave way says so")
    }

    @Test func test_noiseColumnsGiveTheTitleFirstThenTheSlugAndFingerprint() {
        let wide = NoiseColumns(inner: 134, projectWidth: 1, statsWidth: 30, slug: 33, fingerprint: 40, title: 57)
        #expect(wide.slug == 28 && wide.fingerprint == 24 && wide.title == 40)
        let eighty = NoiseColumns(inner: 74, projectWidth: 1, statsWidth: 30, slug: 33, fingerprint: 40, title: 57)
        #expect(eighty.slug + 2 + eighty.fingerprint + 2 + eighty.title == 74 - 4 - 32, "fills the room exactly")
        #expect(eighty.title >= 8)
        let narrow = NoiseColumns(inner: 54, projectWidth: 1, statsWidth: 30, slug: 33, fingerprint: 40, title: 57)
        #expect(narrow.title == 0, "no room for a title of 8")
        #expect(narrow.slug + 2 + narrow.fingerprint == 54 - 4 - 32)
    }
}
