import Testing
import TriageEngine
@testable import TriageUI
import TriageTestSupport

@Suite struct DetailScreenTests {
    @Test func test_detailsShowTheEvidenceTableWithTheImportantRowMarked() throws {
        let workspace = try Workspace.forUI(holding: [Workspace.occurrence(1, fingerprint: "m", title: "Monitor failure", type: 4001)])
        let app = try workspace.app(height: 50)
        app.handle(.enter)
        let grid = app.render()
        #expect(grid.line(0).hasPrefix(" P1-1  Monitor failure"))
        let important = try #require(grid.rows(containing: "Failure reason").first)
        #expect(grid.line(important).hasPrefix(" ▶ Failure reason  A missed check-in"))
        #expect(grid[3, important].role == .evidenceImportant)
        #expect(grid[3, important].attributes.contains(.bold))
        let later = try #require(grid.rows(containing: "Env").first)
        #expect(grid.line(later).hasPrefix("   Env "), "only the first important row is highlighted")
        #expect(grid[3, later].role == .row)
        #expect(grid.line(try #require(grid.rows(containing: "Reason ").first)).hasPrefix("   Reason          boom"), "names are aligned")
        #expect(grid.text.contains("Evidence data"))
        #expect(grid.text.contains("\"k\": 1"))
        #expect(grid.text.contains("region"))
        #expect(grid.text.contains("  platform    python"), "the event's fields")
        #expect(grid.text.contains("  environment prod"))
        #expect(grid.text.contains("  timestamp   1970-01-01T00:00:01.000Z"))
        #expect(grid.text.contains("occurrence:new_group"))
        app.handle(.escape)
        #expect(app.state.detail == nil)
    }

    @Test func test_detailsScrollWithinTheContent() throws {
        let workspace = try Workspace.forUI(holding: [Workspace.occurrence(1, fingerprint: "m", title: "Scroll me")])
        let app = try workspace.app(height: 10)
        app.handle(.enter)
        let first = app.render().line(1)
        app.handle(.character("j"))
        #expect(app.render().line(1) != first)
        app.handle(.character("G"))
        app.handle(.character("G"))
        let bottom = app.state.detail!.scroll
        app.handle(.character("j"))
        #expect(app.state.detail!.scroll == bottom, "clamped at the last line")
        app.handle(.character("k"))
        #expect(app.state.detail!.scroll == bottom - 1, "one key up moves up at once")
    }
}

@Suite struct StatusPanelTests {
    private func workspace() throws -> Workspace {
        let workspace = try Workspace.forUI(holding: [
            Workspace.occurrence(1, fingerprint: "a", title: "Error A", time: 1_790_000_500),
            Workspace.occurrence(2, fingerprint: "u", title: "Uptime down", type: 7001, time: 1_790_000_400),
        ])
        return workspace
    }

    @Test func test_panelOffersOnlyLegalTransitions() throws {
        let app = try workspace().app(height: 30)
        app.handle(.character("j"))
        app.handle(.character("s"))
        let grid = app.render()
        #expect(grid.text.contains("Status of P1-2 (unresolved/new)"))
        let resolveRow = try #require(grid.rows(containing: " r  resolve").first)
        #expect(grid.line(resolveRow).contains("r  resolve"))
        let escalating = try #require(grid.rows(containing: "ignore until escalating").first)
        #expect(grid.line(escalating).contains("(type uptime_domain_failure has no escalation detection)"))
        let reopen = try #require(grid.rows(containing: "reopen").first)
        #expect(grid.line(reopen).contains("(already unresolved/new)"))
        app.handle(.character("e"))
        #expect(app.state.message?.text == "cannot ignore until escalating: type uptime_domain_failure has no escalation detection")
        #expect(try workspace().store.group("2").state == .new)
    }

    /// On a short terminal the choices scroll with the keys the box names, so its "↓ N more" is
    /// true and every choice can be reached; the closing hint and a question stay in view.
    @Test(arguments: [15, 11, 9])
    func test_everyChoiceIsReachableOnAShortTerminal(height: Int) throws {
        let app = try workspace().app(width: 60, height: height)
        app.handle(.character("s"))
        var seen = Set<StatusPanel.Choice>()
        for _ in 0..<StatusPanel.Choice.allCases.count {
            let grid = app.render()
            let text = grid.text
            #expect(text.contains("Esc closes"), "\(text)")
            seen.formUnion(StatusPanel.Choice.allCases.filter { text.contains($0.label) })
            for row in grid.rows(containing: "more · ") {
                #expect(grid.line(row).contains("j k"), "the hint names the keys that scroll: \(text)")
            }
            app.handle(.character("j"))
            #expect(app.state.message == nil, "j scrolls the panel: \(app.state.message?.text ?? "")")
        }
        #expect(seen == Set(StatusPanel.Choice.allCases), "unreachable: \(Set(StatusPanel.Choice.allCases).subtracting(seen))")
        if height == 15 { #expect(!app.render().text.contains("more · "), "eight choices fit at 60x15: \(app.render().text)") }
        app.handle(.character("G"))
        app.handle(.character("d"))
        #expect(app.render().text.contains("for how long? (30m, 4h, 7d): ▏"), "the question stays in view: \(app.render().text)")
    }

    @Test func test_resolveFromThePanelAppliesThroughTheStore() throws {
        let workspace = try workspace()
        let app = try workspace.app(query: "")
        app.handle(.character("s"))
        app.handle(.character("r"))
        #expect(app.render().line(2).hasSuffix("✓ "), "the target state at once")
        #expect(try workspace.store.group("1").state == .new, "the write is the runner's to make")
        performJobs(app)
        #expect(app.state.message?.text == "P1-1: unresolved/new → resolved")
        #expect(try workspace.store.group("1").state == .resolved)
        #expect(app.render().line(2).hasSuffix("✓ "))
        #expect(try workspace.store.details(of: 1).history.last?.actor == "tui")
    }

    @Test func test_ignoreForADurationAsksForItsParameter() throws {
        let workspace = try workspace()
        let app = try workspace.app(height: 30)
        app.handle(.character("i"))
        app.handle(.character("d"))
        #expect(app.render().text.contains("for how long? (30m, 4h, 7d): ▏"))
        for character in "2x" { app.handle(.character(character)) }
        app.handle(.enter)
        #expect(app.state.message?.kind == .error)
        app.handle(.backspace)
        app.handle(.character("h"))
        app.handle(.enter)
        performJobs(app)
        let details = try workspace.store.details(of: 1)
        #expect(details.group.state == GroupState(status: .ignored, substatus: .untilConditionMet))
        #expect(details.ignoreCondition?.until == workspace.clock.now() + 7200)
    }

    @Test(arguments: ["n", "w"])
    func test_anEmptyOrBadCountAnswerIsRefusedNotACrash(choice: Character) throws {
        let workspace = try workspace()
        let app = try workspace.app(height: 30)
        for answer in ["", " ", "5/", "/1h", "0"] {
            app.handle(.character("i"))
            app.handle(.character(choice))
            for character in answer { app.handle(.character(character)) }
            app.handle(.enter)
            #expect(app.state.message?.kind == .error, "\(answer.debugDescription) is no answer")
            app.handle(.escape)
            app.handle(.escape)
        }
        performJobs(app)
        #expect(try workspace.store.group("1").state == .new)
    }

    @Test func test_markedRowsTakeOneTransitionTogether() throws {
        let workspace = try workspace()
        let app = try workspace.app()
        app.handle(.character(" "))
        app.handle(.character(" "))
        #expect(app.render().line(0).contains("2 marked"))
        #expect(app.render().line(2).hasPrefix("●"))
        app.handle(.character("r"))
        performJobs(app)
        #expect(app.state.message?.text == "resolve: 2 groups")
        #expect(try workspace.store.groups(matching: .all, sort: .lastSeen, limit: nil, offset: 0).allSatisfy { $0.state == .resolved })
        #expect(app.state.list.marked.isEmpty)
    }
}

@Suite struct LiveRefreshTests {
    @Test func test_newGroupsAppearWithoutMovingTheSelection() throws {
        let workspace = try Workspace.forUI()
        try workspace.ingest((1...30).map { Workspace.occurrence($0, fingerprint: "g\($0)", title: "Group \($0)", time: 1_790_000_000 + Double($0)) })
        let app = try workspace.app(height: 12, following: true)
        app.handle(.character("j"))
        #expect(app.state.list.selectedGroup?.title == "Group 29")
        try workspace.ingest([Workspace.occurrence(100, fingerprint: "new", title: "Brand new", time: 1_790_000_100)])
        try app.dataChanged()
        #expect(app.state.list.selectedGroup?.title == "Group 29", "the selection stays on its group")
        #expect(app.render().line(2).contains("Brand new"), "at the top, new groups simply appear")
        #expect(app.render().line(0).contains("31 issues"))
        #expect(app.render().line(0).contains("following ●"))

        // Scrolled away: the view stays put and a badge counts what arrived above.
        app.handle(.control("d"))
        app.handle(.control("d"))
        let screenBefore = app.render().line(5)
        try workspace.ingest([Workspace.occurrence(101, fingerprint: "newer", title: "Even newer", time: 1_790_000_200)])
        try app.dataChanged()
        #expect(app.render().line(5) == screenBefore)
        #expect(app.render().line(0).contains("1 new ↑"))
        app.handle(.character("g"))
        #expect(!app.render().line(0).contains("new ↑"))
    }

    @Test func test_followToggleShowsPaused() throws {
        let workspace = try Workspace.forUI()
        let app = try workspace.app(following: true)
        app.handle(.character("f"))
        #expect(app.render().line(0).contains("paused ‖"))
        #expect(app.state.list.loaded)
        #expect(app.render().line(2).contains("no issues match is:unresolved"))
    }
}
