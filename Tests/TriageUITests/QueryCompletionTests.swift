import Testing
import TriageEngine
@testable import TriageUI
import TriageTestSupport

/// `Tab` completes the query language; unknown values suggest the nearest; `?` explains it.
@Suite struct QueryCompletionTests {
    private func app() throws -> TriageApp {
        let workspace = try Workspace.forUI(holding: [
            Workspace.occurrence(1, fingerprint: "a", title: "Error A"),
            Workspace.occurrence(2, fingerprint: "m", title: "Monitor down", type: 4001),
        ])
        let app = try workspace.app()
        app.handle(.character("/"))
        app.handle(.control("u"))
        return app
    }

    private func type(_ text: String, _ app: TriageApp) {
        for character in text { app.handle(.character(character)) }
    }

    @Test func test_aUniqueValueCompletesInPlace() throws {
        let app = try app()
        type("type:monit", app)
        app.handle(.tab)
        #expect(app.state.editor?.text == "type:monitor_check_in_failure")
        #expect(app.state.editor?.error == nil)
        #expect(app.state.list.total == 1, "the completed query runs")
        type(" lev", app)
        app.handle(.tab)
        #expect(app.state.editor?.text == "type:monitor_check_in_failure level:", "keys complete with their colon")
        type("fa", app)
        app.handle(.tab)
        #expect(app.state.editor?.text == "type:monitor_check_in_failure level:fatal")
    }

    @Test func test_severalCandidatesAreListedAndTabStepsThroughThem() throws {
        let app = try app()
        type("is:re", app)
        var grid = app.render()
        #expect(grid.line(18).contains(" resolved ") && grid.line(18).contains(" regressed "), "listed under the line: \(grid.line(18))")
        // The list is already shown and the candidates share nothing more: the first Tab steps.
        app.handle(.tab)
        #expect(app.state.editor?.text == "is:resolved")
        app.handle(.tab)
        #expect(app.state.editor?.text == "is:regressed")
        app.handle(.backTab)
        #expect(app.state.editor?.text == "is:resolved")
        grid = app.render()
        #expect(grid.line(18).contains("[resolved]") && !grid.line(18).contains("[regressed]"), "the chosen one is marked: \(grid.line(18))")
        #expect(grid[grid.line(18).distance(of: "[resolved]") + 1, 18].role == .row, "and drawn apart from the row")
    }

    /// Esc on the candidate list cancels the line too: keys typed next go to the list, not into a
    /// line left open behind the closed list.
    @Test func test_escapeOnTheCandidateListCancelsTheLine() throws {
        let app = try app()
        type("is:re", app)
        app.handle(.tab)
        #expect(app.state.editor?.completion != nil)
        app.handle(.escape)
        #expect(app.state.editor == nil, "one Esc closes the list and the line")
        #expect(app.state.list.query.source == "is:unresolved", "the query in force before editing is back")
        app.handle(.character("j"))
        #expect(app.state.editor == nil && app.state.list.selected == 1, "j moves the list instead of typing into a line")
    }

    @Test func test_escapeOnTheAssignCandidatesCancelsThePrompt() throws {
        let app = try app()
        app.handle(.escape)
        app.handle(.character("a"))
        app.handle(.tab)
        #expect(app.state.teamPrompt?.completion != nil, "me and none are listed")
        app.handle(.escape)
        #expect(app.state.teamPrompt == nil)
    }

    @Test func test_negatedKeysCompleteAndValuesAfterACommaToo() throws {
        let app = try app()
        type("!lev", app)
        app.handle(.tab)
        #expect(app.state.editor?.text == "!level:")
        type("error,war", app)
        app.handle(.tab)
        #expect(app.state.editor?.text == "!level:error,warning")
    }

    @Test func test_customTypesAndSeenProjectsComplete() throws {
        let app = try app()
        type("project:", app)
        app.handle(.tab)
        #expect(app.state.editor?.text == "project:1")
        let syntax = app.querySyntax(for: "")
        #expect(syntax.values(for: "type").contains("monitor_check_in_failure"))
        #expect(syntax.values(for: "is").contains("escalating"))
    }

    @Test func test_anUnknownValueSuggestsTheNearest() throws {
        let app = try app()
        type("type:monitor_chek_in_failure", app)
        #expect(app.state.editor?.suggestion == "did you mean monitor_check_in_failure?")
        app.handle(.control("u"))
        type("levl:fatal", app)
        #expect(app.state.editor?.suggestion == "did you mean level:?")
        #expect(app.render().line(19).contains("did you mean level:?"))
        app.handle(.control("u"))
        type("is:unresolvd", app)
        #expect(app.state.editor?.suggestion == "did you mean unresolved?")
    }

    @Test func test_helpExplainsTheQuerySyntaxAndNamesCommandIds() throws {
        let app = try Workspace.forUI().app(height: 200)
        app.handle(.character("?"))
        let text = app.render().text
        #expect(text.contains(":resolve") && text.contains(":cycle_sort"), "command ids beside their keys")
        #expect(text.contains("times_seen:>10") && text.contains("id:P1-3F,42"))
        #expect(text.contains("N new, O ongoing, R regressed, E escalating"))
        #expect(text.contains("🔔"))
    }
}

/// `Tab` on the `:` line completes command names.
@Suite struct CommandLineCompletionTests {
    @Test func test_tabCompletesCommandNames() throws {
        let app = try Workspace.forUI().app()
        app.handle(.character(":"))
        for character in "rev" { app.handle(.character(character)) }
        app.handle(.tab)
        #expect(app.state.commandLine?.text == "reverse_sort ")
        app.handle(.control("u"))
        for character in "re" { app.handle(.character(character)) }
        app.handle(.tab)
        #expect(app.state.commandLine?.text == "re")
        #expect(app.render().line(18).contains(" repaint ") && app.render().line(18).contains(" resolve "), "\(app.render().line(18))")
        app.handle(.character("s"))
        #expect(app.state.commandCandidates == nil, "typing closes the list")
        app.handle(.tab)
        #expect(app.state.commandLine?.text == "resolve ")
    }

    /// A command's arguments complete as its name does: `:sort ev` → `:sort events`, then `asc`/`desc`;
    /// `:theme`'s themes, `:query`'s query language.
    @Test func test_tabCompletesACommandsArguments() throws {
        let app = try Workspace.forUI().app()
        func line(_ text: String) -> String? {
            app.handle(.escape)
            app.handle(.character(":"))
            for character in text { app.handle(.character(character)) }
            app.handle(.tab)
            return app.state.commandLine?.text
        }
        #expect(line("sort ev") == "sort events ")
        app.handle(.character("a"))
        app.handle(.tab)
        #expect(app.state.commandLine?.text == "sort events asc ")
        #expect(line("theme l") == "theme light ")
        #expect(line("query lev") == "query level:")
        #expect(line("columns -") == "columns -id ")
        #expect(line("sort f") == "sort first_seen ")
        #expect(line("sort zz") == "sort zz")
        #expect(app.render().line(18).contains("no completions here"))
    }
}

/// `:P1-3F` and `id:` find a group whatever the filter.
@Suite struct JumpToGroupTests {
    @Test func test_colonAndAShortIdSelectsTheGroup() throws {
        let workspace = try Workspace.forUI()
        try workspace.ingest((1...5).map { Workspace.occurrence($0, fingerprint: "g\($0)", title: "Group \($0)", time: 1_790_000_000 + Double($0)) })
        _ = try workspace.store.apply(.resolve, to: [2], actor: "test")
        let app = try workspace.app()
        func jump(_ text: String) {
            app.handle(.character(":"))
            for character in text { app.handle(.character(character)) }
            app.handle(.enter)
        }
        jump("P1-4")
        #expect(app.state.list.selectedGroup?.title == "Group 4")
        #expect(app.state.list.query.source == "is:unresolved", "in view: only the cursor moves")
        jump("p1-2")
        #expect(app.state.list.query.source == "id:P1-2", "outside the filter: shown alone")
        #expect(app.state.list.selectedGroup?.title == "Group 2")
        #expect(app.state.message?.text == "P1-2 is resolved, which is:unresolved leaves out: shown alone; Esc goes back to is:unresolved")
        jump("P1-99")
        #expect(app.state.commandLineError != nil)
        #expect(app.state.list.selectedGroup?.title == "Group 2")
    }

    /// A feedback group is unresolved like the rest: the list leaves it out for its type, and the
    /// jump says so instead of "not under is:unresolved".
    @Test func test_jumpingToAFeedbackGroupSaysItsTypeIsShownWhenNamed() throws {
        let workspace = try Workspace.forUI(holding: [
            Workspace.occurrence(1, fingerprint: "e", title: "Error"),
            Workspace.occurrence(2, fingerprint: "f", title: "Slow checkout page", type: 6001, level: "info"),
        ])
        let app = try workspace.app()
        app.handle(.character(":"))
        for character in "P1-2" { app.handle(.character(character)) }
        app.handle(.enter)
        #expect(app.state.list.selectedGroup?.title == "Slow checkout page")
        #expect(app.state.message?.text == "P1-2 is feedback, a type the list shows only when the query names it (type:feedback): shown alone; Esc goes back to is:unresolved")
    }

    @Test func test_aJumpFromDetailsOpensTheOtherGroupsDetails() throws {
        let workspace = try Workspace.forUI(holding: (1...3).map { Workspace.occurrence($0, fingerprint: "g\($0)", title: "Group \($0)") })
        let app = try workspace.app()
        app.handle(.enter)
        #expect(app.state.detail?.details.group.title == "Group 3")
        app.handle(.character(":"))
        for character in "P1-1" { app.handle(.character(character)) }
        app.handle(.enter)
        #expect(app.state.detail?.details.group.title == "Group 1", "details of the group jumped to, not the list")
        app.handle(.character("q"))
        #expect(app.state.detail == nil)
        #expect(app.state.list.selectedGroup?.title == "Group 1", "back on the list, at that group")
    }

    @Test func test_theIdTermFindsGroupsByShortOrNumericId() throws {
        let workspace = try Workspace.forUI()
        try workspace.ingest((1...3).map { Workspace.occurrence($0, fingerprint: "g\($0)", title: "Group \($0)") })
        let parser = QueryParser(registry: workspace.store.registry)
        #expect(try workspace.store.countGroups(matching: parser.parse("id:P1-1,3")) == 2)
        #expect(try workspace.store.countGroups(matching: parser.parse("id:P2-1")) == 0, "a short id names its project")
        #expect(try workspace.store.countGroups(matching: parser.parse("!id:2")) == 2)
        #expect(throws: QueryError.self) { try parser.parse("id:nope") }
    }
}

private extension String {
    /// The column where `needle` starts (ASCII lines only).
    func distance(of needle: String) -> Int {
        guard let range = range(of: needle) else { return 0 }
        return self.distance(from: startIndex, to: range.lowerBound)
    }
}
