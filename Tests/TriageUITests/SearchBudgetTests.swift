import Testing
import TriageEngine
@testable import TriageUI
import TriageTestSupport

/// A keystroke whose search outruns its budget draws at once with "searching…"; the search
/// finishes later, and nothing acts on rows that belong to the previous query.
@Suite struct SearchBudgetTests {
    private func workspace() throws -> Workspace {
        try Workspace.twoTimeoutsAndADiskFull()
    }

    /// A budget of nothing: every search from the query line is cut short.
    private func app(_ workspace: Workspace) throws -> TriageApp {
        try workspace.app(keystrokeBudget: 0)
    }

    @Test func test_aSearchPastTheBudgetShowsTheLineAndSearchingThenFinishes() throws {
        let app = try app(try workspace())
        app.handle(.character("/"))
        for character in "timeout" { app.handle(.character(character)) }
        var grid = app.render()
        #expect(app.isSearching)
        #expect(grid.line(19).hasPrefix("/is:unresolved timeout▏"), "the line shows what was typed")
        #expect(grid.line(0).contains("searching…"))
        #expect(app.state.list.total == 3, "the previous results stay until the new ones are in")
        #expect(try app.finishSearch(stoppingWhen: { true }) == false, "a waiting key stops the search again")
        #expect(app.isSearching)
        #expect(try app.finishSearch())
        grid = app.render()
        #expect(!app.isSearching)
        #expect(app.state.list.total == 2)
        #expect(grid.line(0).contains("2 issues"))
        #expect(grid.line(2).contains("Timeout in checkout") && grid.line(3).contains("Timeout in search"))
        #expect(!grid.text.contains("Disk full"))
    }

    @Test func test_aKeyForTheListFinishesTheSearchBeforeItActs() throws {
        let app = try app(try workspace())
        app.handle(.character("/"))
        for character in "search" { app.handle(.character(character)) }
        app.handle(.enter)
        #expect(app.state.editor == nil)
        #expect(app.isSearching, "Enter keeps the results coming, it does not wait for them")
        app.handle(.character("j"))
        #expect(!app.isSearching)
        #expect(app.state.list.rows.map(\.title) == ["Timeout in search"], "j moved within the new results, not the old ones")
    }

    @Test func test_aResizeWhileSearchingBringsTheResultsIn() throws {
        let app = try app(try workspace())
        app.handle(.character("/"))
        for character in "disk" { app.handle(.character(character)) }
        #expect(app.isSearching)
        try app.resize(width: 90, height: 20)
        #expect(!app.isSearching)
        #expect(app.state.list.rows.map(\.title) == ["Disk full"])
        #expect(app.render().line(0).contains("1 issue"))
    }

    /// In a flood the follower's data arrives every pass; re-reading the list for it must not hold
    /// up a key any more than a search may.
    @Test func test_newDataPastTheBudgetIsReadAsASearchThatGivesWayToKeys() throws {
        let workspace = try workspace()
        let app = try app(workspace)
        try workspace.ingest([Workspace.occurrence(4, fingerprint: "d", title: "Timeout in billing", time: 1_790_000_600)])
        try app.dataChanged()
        #expect(app.isSearching, "the re-read was cut short at the budget")
        #expect(app.state.list.total == 3, "the rows on screen stay until the new ones are in")
        #expect(try app.finishSearch(stoppingWhen: { true }) == false, "a waiting key comes first")
        #expect(try app.finishSearch())
        #expect(app.state.list.total == 4)
        #expect(app.render().line(2).contains("Timeout in billing"))
    }

    /// Within the budget too: a key typed while new data is read comes first, not after the read.
    /// A budget no read here can use up: what ends the read is the key, not the clock (timing a
    /// shared machine belongs in `scripts/bench-ui`, not in a unit test).
    @Test func test_aKeyTypedWhileNewDataIsReadEndsTheReadWithinTheBudget() throws {
        let workspace = try workspace()
        let app = try workspace.app(keystrokeBudget: 5)
        try workspace.ingest([Workspace.occurrence(4, fingerprint: "d", title: "Timeout in billing", time: 1_790_000_600)])
        try app.dataChanged(givingWayWhen: { true })
        #expect(app.isSearching, "the waiting key ended the re-read, though the budget would have let it finish")
        #expect(app.state.list.total == 3)
        #expect(try app.finishSearch())
        #expect(app.state.list.total == 4)
        try workspace.ingest([Workspace.occurrence(5, fingerprint: "e", title: "Timeout in refunds", time: 1_790_000_700)])
        try app.dataChanged(givingWayWhen: { false })
        #expect(!app.isSearching, "with no key waiting the re-read completes within the budget")
        #expect(app.state.list.total == 5)
    }

    @Test func test_withinItsBudgetEveryKeystrokeShowsItsResults() throws {
        let app = try workspace().app(keystrokeBudget: 5)
        app.handle(.character("/"))
        for character in "disk" {
            app.handle(.character(character))
            #expect(!app.isSearching)
        }
        #expect(app.state.list.rows.map(\.title) == ["Disk full"])
    }
}
