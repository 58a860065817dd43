import Testing
import TriageEngine
@testable import TriageUI
import TriageTestSupport

@Suite struct ListScreenTests {
    private func workspace() throws -> Workspace {
        let workspace = try Workspace.forUI(holding: [
            Workspace.occurrence(1, fingerprint: "a", title: "TypeError: cannot read 'id'", time: 1_790_000_500),
            Workspace.occurrence(2, fingerprint: "b", title: "Monitor failure: poll_service", type: 4001, level: "fatal", time: 1_790_000_400),
            Workspace.occurrence(3, fingerprint: "c", title: "支払いゲートウェイ 🐢 timeout", level: "warning", time: 1_790_000_300),
            Workspace.occurrence(4, fingerprint: "a", title: "TypeError: cannot read 'id'", time: 1_790_000_550),
        ])
        return workspace
    }

    @Test func test_listShowsOneRowPerGroupNewestFirstWithColumns() throws {
        let grid = try workspace().app().render()
        #expect(grid.line(0).hasPrefix(" triage  is:unresolved"))
        #expect(grid.line(0).contains("3 issues · sort last_seen"))
        #expect(grid.line(1).contains("LVL TYPE"))
        #expect(grid.line(2).hasPrefix("▌ERR error            TypeError: cannot read 'id'"))
        #expect(grid.line(2).contains("      2    50s ago N"))
        #expect(grid.line(3).contains("FTL monitor_check_i… Monitor failure: poll_service"))
        #expect(grid.line(4).contains("WRN error            支払いゲートウェイ 🐢 timeout"))
        #expect(grid.line(19).hasPrefix(" j k move  ⏎ details  / filter  t types  s status  r resolve  space mark  ? help  q quit"))
        #expect(grid[0, 2].role == .rowSelected)
        #expect(grid[1, 3].role == .levelFatal, "level colours on unselected rows")
    }

    @Test func test_wideTerminalsAddCulpritAndProjectColumns() throws {
        let grid = try workspace().app(width: 160).render()
        #expect(grid.line(1).contains("TITLE"))
        #expect(grid.line(1).contains("CULPRIT                   ASSIGNEE   PROJ PRI   EVENTS  USERS LAST 24H     LAST SEEN↓ ST"), "the sorted column has an arrow")
        let row = grid.line(2)
        #expect(row.contains(" app.py "))
        #expect(row.hasSuffix("   1 MED        2      0            █    50s ago N "))
        #expect(TerminalText.width(row) == 160)
        #expect(try workspace().app(width: 130).render().line(1).contains("CULPRIT"), "the trend columns go before the culprit (TrendTests)")
        #expect(!(try workspace().app(width: 129).render().line(1).contains("CULPRIT")), "then the culprit")
    }

    @Test func test_headerSaysHowManySpoolFilesWaitAndFailed() throws {
        let app = try workspace().app(width: 120, following: true)
        app.setIngesting(true)
        app.setBacklog(waiting: 1234, failed: 2)
        #expect(app.render().line(0).contains("3 issues · ingesting · 1,234 files waiting · 2 files with refused payloads ·"),
                "failed/ holds files with any refused payload, the rest of each stored: \(app.render().line(0))")
        app.setIngesting(false)
        app.setBacklog(waiting: 0, failed: 2)
        #expect(!app.render().line(0).contains("ingesting"))
        #expect(app.render().line(0).contains("3 issues · 2 files with refused payloads ·"))
        app.handle(.character("f"))
        app.setBacklog(waiting: 1, failed: 0)
        let paused = app.render().line(0)
        #expect(paused.contains("3 issues · 1 file waiting ·") && paused.contains("paused ‖") && !paused.contains("ingesting"),
                "paused, files wait without being ingested: \(paused)")
    }

    @Test func test_aBusyHeaderAt80ColumnsShortensItsPartsAndKeepsTheQuery() throws {
        let app = try workspace().app(width: 80, query: "is:unresolved level:error", following: true)
        app.setIngesting(true)
        app.setBacklog(waiting: 40, failed: 40)
        let header = app.render().line(0)
        #expect(header.contains(" triage  is:unresolved level… "), "the query stays, cut with …: \(header)")
        #expect(header.contains("40 waiting · 40 in failed/ · ● ·"), "\(header)")
        #expect(TerminalText.width(header) == 80)
    }

    /// Short forms are taken one at a time, following's word last: at 80 columns with refused files
    /// the header says "following ●", not a bare ●, and `?` explains every glyph the list draws.
    @Test func test_followingKeepsItsWordWhileTheWidthAllowsAndHelpExplainsEveryGlyph() throws {
        let app = try workspace().app(width: 80, following: true)
        app.setBacklog(waiting: 0, failed: 40)
        let header = app.render().line(0)
        #expect(header.contains("40 in failed/ · following ● ·"), "\(header)")
        #expect(TerminalText.width(header) == 80)
        let help = OverlayViews.helpLines(keymap: .default).map { $0.map(\.text).joined() }
        let legend = try #require(help.first { $0.hasPrefix("ST ") })
        for status in GroupStatus.allCases {
            for substatus in [nil] + GroupSubstatus.allCases.map(Optional.some) {
                guard let state = GroupState(status: status, substatus: substatus) else { continue }
                #expect(legend.contains(" \(GroupPresentation.statusLetter(state)) "), "\(state) is drawn as a glyph the legend leaves out")
            }
        }
        for glyph in ["●", "‖", "◉", "▌", "🔔"] {
            #expect(help.contains { $0.contains(glyph) }, "\(glyph) is not explained")
        }
    }

    /// 🔔 is state (notifications not yet acknowledged), not decoration: at 60 columns the sort and
    /// the marks give way, and it stays.
    @Test func test_theBellStaysOnANarrowHeaderAndTheMarksGiveWayFirst() throws {
        let app = try workspace().app(width: 60, following: true)
        app.handle(.character(" "))
        app.state.alerts = 3
        let header = app.render().line(0)
        #expect(header.contains("🔔 3") || header.contains("🔔3"), "\(header)")
        #expect(!header.contains("marked") && !header.contains("sort"), "\(header)")
        #expect(header.contains("3 issues") && header.contains("old"))
        #expect(TerminalText.width(header) == 60)
        let narrower = try workspace().app(width: 44, following: true)
        narrower.state.alerts = 12
        #expect(narrower.render().line(0).contains("🔔12"), "the short form when even the short forms are needed: \(narrower.render().line(0))")
    }

    /// A filtered list whose filter is not on screen is a trap: at 60 columns the spool's counts give
    /// way before the query does, and at 45 the query keeps a few columns and the rest is cut.
    @Test func test_aNarrowBusyHeaderDropsTheSpoolCountsBeforeTheQuery() throws {
        let app = try workspace().app(width: 60, query: "level:fatal", following: true)
        app.handle(.character("f"))
        app.setBacklog(waiting: 3, failed: 7)
        app.state.alerts = 91
        let header = app.render().line(0)
        #expect(header.contains(" triage  level:fatal"), "\(header)")
        #expect(header.contains("🔔91") && header.contains("‖") && header.contains("old"), "\(header)")
        #expect(TerminalText.width(header) == 60)
        try app.resize(width: 45, height: 24)
        let narrow = app.render().line(0)
        #expect(narrow.hasPrefix(" triage  level"), "\(narrow)")
        #expect(TerminalText.width(narrow) == 45)
    }

    @Test func test_wideCharactersKeepColumnsAligned() throws {
        let grid = try workspace().app().render()
        let plain = grid.line(3)
        let wide = grid.line(4)
        // Same display width means the EVENTS column lines up whatever the title holds.
        #expect(TerminalText.width(plain) == 100)
        #expect(TerminalText.width(wide) == 100)
        let column = { (line: String) in TerminalText.width(String(line[..<line.range(of: " ago")!.lowerBound])) }
        #expect(column(plain) == column(wide))
    }

    @Test func test_narrowTerminalsDropColumnsAndTruncateWithAnEllipsis() throws {
        let grid = try workspace().app(width: 30, height: 10).render()
        #expect(!grid.line(1).contains("TYPE"))
        #expect(!grid.line(1).contains("LAST SEEN"))
        #expect(!grid.line(1).contains("EVENTS"))
        #expect(grid.line(3) == " FTL Monitor failure: poll… N ")
        #expect(TerminalText.width(grid.line(3)) == 30)
    }

    @Test func test_navigationMovesTheSelection() throws {
        let app = try workspace().app()
        app.handle(.character("j"))
        #expect(app.render()[0, 3].role == .rowSelected)
        app.handle(.character("G"))
        #expect(app.state.list.selected == 2)
        app.handle(.character("g"))
        #expect(app.state.list.selected == 0)
        app.handle(.up)
        #expect(app.state.list.selected == 0, "clamped at the top")
    }

    @Test func test_pagingFetchesOnlyTheVisibleWindow() throws {
        let workspace = try Workspace.forUI()
        try workspace.ingest((1...60).map { Workspace.occurrence($0, fingerprint: "g\($0)", title: "Group \($0)", time: 1_790_000_000 + Double($0)) })
        let app = try workspace.app(height: 12)
        #expect(app.state.list.rows.count == 9)
        #expect(app.state.list.total == 60)
        app.handle(.control("d"))
        #expect(app.state.list.selected == 9)
        #expect(app.state.list.offset == 9)
        #expect(app.render().line(2).contains("Group 51"))
        app.handle(.character("G"))
        #expect(app.render().line(10).contains("Group 1 "))
    }

    @Test func test_largeResultsAreCountedOnlyAsFarAsTheViewNeeds() throws {
        let workspace = try Workspace.forUI()
        try workspace.ingest((1...60).map { Workspace.occurrence($0, fingerprint: "g\($0)", title: "Group \($0)", time: 1_790_000_000 + Double($0)) })
        // 9 rows a page: the count stops at max(cap, 2 × (selection + page)) = 18.
        let app = try workspace.app(height: 12, countCap: 5)
        #expect(app.state.list.total == 18)
        #expect(!app.state.list.totalIsExact)
        #expect(app.render().line(0).contains("18+ issues"))
        app.handle(.character("j"))
        #expect(app.state.list.total == 18, "moving within the counted part does not count again")
        app.handle(.control("d"))
        #expect(app.state.list.selected == 10)
        #expect(app.state.list.total == 38, "nearing the cap counts further: 2 × (10 + 9)")
        app.handle(.character("G"))
        #expect(app.state.list.totalIsExact)
        #expect(app.state.list.selected == 59, "the bottom needs the whole count")
        #expect(app.render().line(0).contains("60 issues"))
        #expect(app.render().line(10).contains("Group 1 "))
    }

    @Test func test_queryLineFiltersLiveAndNamesABadTerm() throws {
        let app = try workspace().app()
        app.handle(.character("/"))
        app.handle(.control("u"))
        for character in "level:fatal" { app.handle(.character(character)) }
        #expect(app.state.list.total == 1, "results follow each keystroke")
        #expect(app.render().line(19).hasPrefix("/level:fatal▏"))
        for character in " poll" { app.handle(.character(character)) }
        #expect(app.state.list.total == 1, "free text: the monitor's title contains poll")
        for character in ":x" { app.handle(.character(character)) }
        let grid = app.render()
        #expect(grid.line(19).contains("✗ column 13: unknown key \"poll\""))
        #expect(app.state.list.query.source == "level:fatal", "the bad term is left out, not searched as the word it began as")
        #expect(app.state.list.total == 1)
        for _ in 0..<7 { app.handle(.backspace) }
        app.handle(.enter)
        #expect(app.state.editor == nil)
        #expect(app.render().line(0).contains("level:fatal"))
        app.handle(.escape)
        #expect(app.state.list.query.source == "is:unresolved", "Esc on the list goes back to the default stream")
    }

    @Test func test_escapeInTheEditorRestoresTheQueryInForce() throws {
        let app = try workspace().app()
        app.handle(.character("/"))
        app.handle(.character(" "))
        for character in "typeerror" { app.handle(.character(character)) }
        #expect(app.state.list.total == 1)
        app.handle(.escape)
        #expect(app.state.list.total == 3)
    }

    @Test func test_sortCyclesThroughTheOrders() throws {
        let app = try workspace().app()
        #expect(app.render().line(4).contains("支払い"))
        app.handle(.character("S"))
        #expect(app.state.list.sort == .firstSeen)
        app.handle(.character("S"))
        #expect(app.state.list.sort == .events)
        #expect(app.render().line(2).contains("TypeError"))
        app.handle(.character("S"))
        #expect(app.state.list.sort == .priority)
        #expect(app.render().line(2).contains("Monitor failure"), "priority 75 first")
        #expect(app.render().line(0).contains("sort priority"))
    }

    @Test func test_helpListsEveryCommandFromTheKeymap() throws {
        let app = try workspace().app(height: 40)
        app.handle(.character("?"))
        var text = app.render().text
        #expect(text.contains("j ↓"))
        for _ in 0..<4 {
            app.handle(.pageDown)
            text += app.render().text
        }
        for command in CommandCatalog.all { #expect(text.contains(command.title), "\(command.id)") }
        app.handle(.character("x"))
        #expect(app.render().text.contains("Keys"), "a stray key does not close help")
        app.handle(.character("q"))
        #expect(!app.render().text.contains("Keys"))
        let short = try workspace().app(width: 80, height: 24)
        short.handle(.character("?"))
        var seen = short.render().text
        #expect(seen.contains("↓ ") && seen.contains(" more"), "says how many more lines there are")
        for _ in 0..<20 {
            short.handle(.pageDown)
            seen += short.render().text
        }
        for command in CommandCatalog.all { #expect(seen.contains(command.title), "\(command.id) is reachable by scrolling at 80×24") }
        #expect(seen.contains("C-w M-⌫") && seen.contains("is:unresolved") && seen.contains("ST"), "editing keys, query syntax, legend")
        short.handle(.character("G"))
        #expect(short.render().text.contains("notifications since the UI opened"), "G goes to the end")
        #expect(short.render().text.contains("↑ "), "and says how many lie above")
    }

    @Test func test_hostileTitlesRenderInert() throws {
        let workspace = try Workspace.forUI(holding: [Workspace.occurrence(1, fingerprint: "x", title: #"evil \u001b]52;c;ZXZpbA==\u0007 \u001b[2J \u202eabc"#)])
        let grid = try workspace.app().render()
        #expect(grid.line(2).contains("evil ␛]52;c;ZXZpbA==␇ ␛[2J \u{FFFD}abc"))
        #expect(!grid.cells.contains { $0.text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0.value == 0x202E } })
    }

    @Test func test_emptyResultIsNotLoading() throws {
        let grid = try workspace().app(query: "type:feedback").render()
        #expect(grid.line(2).contains("no issues match type:feedback"))
    }
}

/// Whatever the width, the list tells its sort: by the sorted column's arrow, else in the title
/// column's heading (a narrow header drops `sort` first, as the spec says).
@Suite struct SortShownTests {
    @Test(arguments: [60, 80, 100])
    func test_theSortIsOnScreenAtEveryWidth(width: Int) throws {
        let app = try Workspace.errorsAAndB().app(width: width)
        for _ in GroupSort.allCases {
            let grid = app.render()
            let heading = grid.line(1)
            let sort = app.state.list.sort
            let named = heading.contains("by \(sort.rawValue)↓") || grid.line(0).contains("sort \(sort.rawValue)")
            let column = [GroupSort.events: "EVENTS", .lastSeen: "LAST SEEN", .priority: "PRI", .trend: "LAST 24H"][sort]
            let arrowed = column.map { heading.contains($0 + "↓") } ?? false
            #expect(named || arrowed, "sort \(sort) at \(width): \(grid.line(0))\n\(heading)")
            app.handle(.character("S"))
        }
    }

    /// Help's legend draws the sorted column as the list does: one owner of the arrow.
    @Test func test_helpAndTheColumnDrawTheArrowAlike() throws {
        let app = try Workspace.errorsAAndB().app(width: 100, height: 200)
        let heading = app.render().line(1)
        #expect(heading.contains("LAST SEEN↓"), "\(heading)")
        app.handle(.character("?"))
        let help = app.render().text
        #expect(help.contains("LAST SEEN↓") && !help.contains("↓LAST SEEN"))
    }
}
