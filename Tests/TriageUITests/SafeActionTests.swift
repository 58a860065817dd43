import Foundation
import Testing
import TriageEngine
@testable import TriageUI
import TriageTestSupport

/// Actions never hit rows nobody sees, say what they skipped, and can all be undone.
@Suite struct SafeActionTests {
    /// Errors A and B, and a monitor, newest first: A, B, Monitor.
    private func workspace() throws -> Workspace {
        let workspace = try Workspace.forUI(holding: [
            Workspace.occurrence(1, fingerprint: "a", title: "Error A", time: 1_790_000_500),
            Workspace.occurrence(2, fingerprint: "b", title: "Error B", time: 1_790_000_400),
            Workspace.occurrence(3, fingerprint: "m", title: "Monitor down", type: 4001, time: 1_790_000_300),
        ])
        return workspace
    }

    private func query(_ text: String, _ app: TriageApp) {
        app.handle(.character("/"))
        app.handle(.control("u"))
        for character in text { app.handle(.character(character)) }
        app.handle(.enter)
        performJobs(app)
    }

    @Test func test_anActionOnMarksTheFilterHidesAsksFirst() throws {
        let workspace = try workspace()
        let app = try workspace.app()
        app.handle(.character(" "))
        app.handle(.character(" "))
        query("Monitor", app)
        #expect(app.state.list.total == 1)
        app.handle(.character("r"))
        performJobs(app)
        #expect(app.render().line(19).hasPrefix(" 2 marked, 2 not shown: resolve all? y/n"))
        #expect(try workspace.store.group("1").state.status == .unresolved, "nothing happens before the answer")
        app.handle(.character("n"))
        #expect(app.state.message?.text == "nothing changed; the marks are kept")
        #expect(app.state.list.marked.count == 2)
        #expect(try workspace.store.group("1").state.status == .unresolved)
        // Any other key cancels and does nothing else: typing meant for a line that never opened
        // (":note …") must not answer a later question or act on the list.
        app.handle(.character("r"))
        performJobs(app)
        app.handle(.character(":"))
        #expect(app.state.confirmation == nil)
        #expect(app.state.commandLine == nil, "the key that cancelled is not run")
        #expect(app.state.message?.text == "nothing changed; the marks are kept")
        app.handle(.character("r"))
        performJobs(app)
        app.handle(.character("y"))
        performJobs(app)
        #expect(try workspace.store.group("1").state.status == .resolved)
        #expect(try workspace.store.group("2").state.status == .resolved)
        #expect(try workspace.store.group("3").state.status == .unresolved, "the row in view was not marked")
        #expect(app.state.list.marked.isEmpty)
    }

    @Test func test_marksInViewAreActedOnWithoutAQuestion() throws {
        let workspace = try workspace()
        let app = try workspace.app()
        app.handle(.character(" "))
        app.handle(.character(" "))
        app.handle(.character("r"))
        performJobs(app)
        #expect(app.state.confirmation == nil)
        #expect(app.state.message?.text == "resolve: 2 groups")
    }

    @Test func test_theStatusPanelAndPriorityAskAboutHiddenMarksToo() throws {
        let workspace = try workspace()
        let app = try workspace.app()
        app.handle(.character(" "))
        query("Monitor", app)
        app.handle(.character(" "))
        app.handle(.character("s"))
        app.handle(.character("f"))
        performJobs(app)
        #expect(app.state.confirmation?.question == "2 marked, 1 not shown: ignore forever all? y/n")
        app.handle(.escape)
        #expect(try workspace.store.group("1").state.status == .unresolved)
        app.handle(.character(":"))
        for character in "priority high" { app.handle(.character(character)) }
        app.handle(.enter)
        performJobs(app)
        #expect(app.state.confirmation?.question == "2 marked, 1 not shown: set priority high on all? y/n")
        app.handle(.character("y"))
        performJobs(app)
        #expect(try workspace.store.group("1").priority == 75)
        #expect(try workspace.store.group("3").priority == 75)
    }

    @Test func test_aMarkedRowUnderTheCursorShowsBoth() throws {
        let app = try workspace().app()
        app.handle(.character(" "))
        #expect(app.render().line(2).hasPrefix("●"), "marked, cursor moved on")
        #expect(app.render().line(3).hasPrefix("▌"))
        app.handle(.character("k"))
        #expect(app.render().line(2).hasPrefix("◉"), "marked and under the cursor")
    }

    @Test func test_aBulkActionThatSkipsGroupsSaysWhichAndWhy() throws {
        let workspace = try workspace()
        _ = try workspace.store.apply(.resolve, to: [1], actor: "test")
        let app = try workspace.app(query: "")
        app.handle(.character(" "))
        app.handle(.character(" "))
        app.handle(.character("o"))
        performJobs(app)
        #expect(app.state.message?.text == "P1-1: resolved → unresolved/ongoing; 1 skipped: P1-2 is already unresolved/new")
    }

    /// Runs a `:` line, giving up first one a refusal left open.
    private func command(_ text: String, _ app: TriageApp) {
        if app.state.commandLine != nil { app.handle(.escape) }
        app.handle(.character(":"))
        for character in text { app.handle(.character(character)) }
        app.handle(.enter)
        performJobs(app)
    }

    /// `:resolve` on a resolved row (and `:reopen` on an unresolved one) names the group and its state.
    @Test func test_anActionOnAGroupAlreadyInThatStateNamesTheGroupAndState() throws {
        let workspace = try workspace()
        _ = try workspace.store.apply(.resolve, to: [1], actor: "test")
        let app = try workspace.app(query: "")
        command("resolve", app)
        #expect(app.state.message?.text == "P1-1 is already resolved")
        app.handle(.character("j"))
        command("reopen", app)
        #expect(app.state.message?.text == "P1-2 is already unresolved/new")
    }

    /// `:resolve P1-2` resolved the row under the cursor, whatever it named: a command without an
    /// argument refuses one, and says how to reach the group it named.
    @Test func test_aCommandThatTakesNoArgumentRefusesOneInsteadOfActingOnTheCursor() throws {
        let workspace = try workspace()
        let app = try workspace.app(query: "")
        for line in ["resolve P1-2", "reopen P1-2", "resolve everything now"] {
            command(line, app)
            #expect(app.state.commandLineError != nil, "\(line)")
        }
        #expect(app.state.commandLineError == ":resolve takes no argument: it acts on the marked groups, else the one under the cursor")
        command("resolve P1-2", app)
        #expect(app.state.commandLineError?.hasSuffix("(:P1-2 goes to P1-2 first)") == true)
        performJobs(app)
        #expect(try workspace.store.group("1").state == .new)
        #expect(try workspace.store.group("2").state == .new)
    }

    /// Sorted oldest first, the skipped groups are named top to bottom as the list shows them.
    @Test func test_aBulkActionNamesSkippedGroupsInListOrder() throws {
        let workspace = try workspace()
        _ = try workspace.store.apply(.resolve, to: [1, 3], actor: "test")
        let app = try workspace.app(query: "")
        command("sort last_seen asc", app)
        #expect(app.state.list.rows.map(\.id) == [3, 2, 1])
        app.handle(.character("g"))
        for _ in 0..<3 { app.handle(.character(" ")) }
        app.handle(.character("r"))
        performJobs(app)
        #expect(app.state.message?.text == "P1-2: unresolved/new → resolved; 2 skipped: P1-3 is already resolved, P1-1 is already resolved")
    }

    @Test func test_undoIsAStackAndPutsTheCursorBackOnTheUndoneGroup() throws {
        let workspace = try workspace()
        let app = try workspace.app()
        app.handle(.character("r"))
        performJobs(app)
        #expect(app.state.list.selectedGroup?.title == "Error B")
        app.handle(.character("r"))
        performJobs(app)
        #expect(app.state.list.selectedGroup?.title == "Monitor down")
        app.handle(.character("u"))
        performJobs(app)
        #expect(app.state.list.selectedGroup?.title == "Error B", "the cursor is back on the group undone")
        #expect(app.state.message?.text == "undone: P1-2 back to unresolved/new · 1 more to undo")
        app.handle(.character("j"))
        app.handle(.character("u"))
        performJobs(app)
        #expect(app.state.list.selectedGroup?.title == "Error A")
        #expect(try workspace.store.group("1").state.status == .unresolved)
        app.handle(.character("u"))
        performJobs(app)
        #expect(app.state.message?.text == "nothing to undo")
    }

    /// Undoing a bulk change names how many groups went back and which, and every one of them the
    /// filter hides, not only the first.
    @Test func test_undoingABulkChangeNamesEveryGroupAndEveryHiddenOne() throws {
        let workspace = try workspace()
        let app = try workspace.app()
        for _ in 0..<3 { app.handle(.character(" ")) }
        app.handle(.character("r"))
        performJobs(app)
        query("Monitor", app)
        app.handle(.character("u"))
        performJobs(app)
        let text = try #require(app.state.message?.text)
        #expect(text.hasPrefix("undone for 3 groups ("), "\(text)")
        #expect(["P1-1", "P1-2", "P1-3"].allSatisfy(text.contains), "\(text)")
        #expect(text.contains(") back to unresolved/new"), "\(text)")
        let hidden = try #require(text.range(of: "(2 not under this filter: ").map { String(text[$0.upperBound...]) }, "\(text)")
        #expect(hidden.contains("P1-1") && hidden.contains("P1-2") && !hidden.contains("P1-3"), "\(text)")
        #expect(app.state.list.selectedGroup?.title == "Monitor down", "the cursor on the undone group the filter shows")
    }

    @Test func test_theStatusPanelIgnoresUntilATime() throws {
        let workspace = try workspace()
        let app = try workspace.app()
        app.handle(.character("s"))
        #expect(app.render().text.contains("t  ignore until a time…"))
        app.handle(.character("t"))
        for character in "25:00" { app.handle(.character(character)) }
        app.handle(.enter)
        performJobs(app)
        #expect(app.state.message?.text == "'25:00' is not a time such as 14:05 (UTC, its next occurrence) or 2026-12-01T09:00:00Z",
                "the CLI's reason: \(String(describing: app.state.message))")
        app.handle(.control("u"))
        for character in "2020-01-01T00:00:00Z" { app.handle(.character(character)) }
        app.handle(.enter)
        #expect(app.state.message?.text == "2020-01-01T00:00:00.000Z is in the past; give a later time")
        app.handle(.control("u"))
        for character in "14:05" { app.handle(.character(character)) }
        app.handle(.enter)
        performJobs(app)
        let now = workspace.clock.now()
        var expected = (now / 86_400).rounded(.down) * 86_400 + 14 * 3600 + 5 * 60
        if expected <= now { expected += 86_400 }
        #expect(try workspace.store.details(of: 1).ignoreCondition?.until == expected)
        app.handle(.character(":"))
        for character in "ignore until 2099-01-01T00:00:00Z" { app.handle(.character(character)) }
        app.handle(.enter)
        performJobs(app)
        #expect(try workspace.store.details(of: 2).ignoreCondition?.until == ISOTime.parse("2099-01-01T00:00:00Z"))
    }

    @Test func test_sortKeepsTheCursorOnItsGroupAndMarksTheColumn() throws {
        let workspace = try workspace()
        try workspace.ingest((10...12).map { Workspace.occurrence($0, fingerprint: "b", title: "Error B", time: 1_790_000_000) })
        let app = try workspace.app()
        #expect(app.render().line(1).contains("LAST SEEN↓"))
        app.handle(.character("j"))
        app.handle(.character("j"))
        #expect(app.state.list.selectedGroup?.title == "Monitor down")
        app.handle(.character("S"))
        app.handle(.character("S"))
        #expect(app.state.list.sort == .events)
        #expect(app.state.list.selectedGroup?.title == "Monitor down")
        #expect(app.render().line(1).contains("EVENTS↓"))
        #expect(!app.render().line(1).contains("LAST SEEN↓"))
        app.handle(.character("R"))
        #expect(app.state.list.ascending)
        #expect(app.state.list.selectedGroup?.title == "Monitor down", "reversing keeps the cursor's group too")
        #expect(app.render().line(1).contains("EVENTS↑"))
        #expect(app.render().line(0).contains("sort events↑"))
        #expect(app.state.list.rows.map(\.title) == ["Error A", "Monitor down", "Error B"], "fewest events first, ties reversed too")
        app.handle(.character("g"))
        #expect(app.state.list.selectedGroup?.title == "Error A")
        app.handle(.character("G"))
        #expect(app.state.list.selectedGroup?.title == "Error B")
        app.handle(.character(":"))
        for character in "sort last_seen desc" { app.handle(.character(character)) }
        app.handle(.enter)
        #expect(!app.state.list.ascending)
        #expect(app.state.list.rows.first?.title == "Error A")
    }
}

/// The screen says what is going on: paused data ages, an empty store says it is watching, Ctrl-L repaints.
@Suite struct HonestStateTests {
    @Test func test_whilePausedTheAgeKeepsGrowing() throws {
        let workspace = try Workspace.forUI(holding: [Workspace.occurrence(1, fingerprint: "a", title: "Error A")])
        let app = try workspace.app(following: true)
        app.handle(.character("f"))
        workspace.clock.advance(by: 7)
        try app.dataChanged()
        app.handle(.character("j"))
        #expect(app.render().line(0).contains("paused ‖ · 7s old"), "\(app.render().line(0))")
        app.handle(.character("f"))
        #expect(app.render().line(0).contains("following ● · 0s old"))
    }

    @Test func test_anEmptyStoreSaysItIsWatchingTheSpool() throws {
        let workspace = try Workspace.forUI()
        let app = try workspace.app(following: true)
        app.watch("/srv/spool")
        app.setIngesting(true)
        #expect(app.render().line(2).contains("no issues yet — ingesting /srv/spool"), "the backlog is being read, not absent")
        #expect(app.render().line(0).contains("0 issues · ingesting… · sort last_seen"))
        app.setIngesting(false)
        #expect(app.render().line(2).contains("no issues yet — watching /srv/spool"))
        #expect(!app.render().line(0).contains("ingesting"))
        try workspace.ingest([Workspace.occurrence(1, fingerprint: "a", title: "Error A")])
        try app.dataChanged()
        app.handle(.character("/"))
        for character in "nothing-like-this" { app.handle(.character(character)) }
        #expect(app.render().line(2).contains("no issues match"), "a filter that matches nothing says so")
    }

    @Test func test_aNarrowHeaderDropsTheSortFirstAndKeepsTheQueryCountFollowingAndAge() throws {
        let workspace = try Workspace.forUI(holding: [Workspace.occurrence(1, fingerprint: "a", title: "Error A")])
        let wide = try workspace.app(width: 120, query: "is:unresolved level:error,fatal", following: true)
        #expect(wide.render().line(0).contains("1 issue · sort last_seen · following ● · 0s old"))
        let narrow = try workspace.app(width: 60, query: "is:unresolved level:error,fatal", following: true)
        let header = narrow.render().line(0)
        #expect(!header.contains("sort"), "\(header)")
        #expect(header.contains("1 issue · following ● · 0s old"), "\(header)")
        #expect(header.hasPrefix(" triage  is:unresolved leve… 1 issue"), "the query keeps the room left, cut with …: \(header)")
        // The sort goes before the query loses a single column (at 80 it once cut two letters and kept the sort).
        let eighty = try workspace.app(width: 80, query: "is:unresolved level:error", following: true)
        eighty.state.alerts = 24
        let line = eighty.render().line(0)
        #expect(line.hasPrefix(" triage  is:unresolved level:error "), "the whole query: \(line)")
        #expect(line.hasSuffix("1 issue · 🔔 24 · following ● · 0s old "), "\(line)")
    }

    @Test func test_catchingUpSummarisesNotificationsAndAKeyAcknowledgesThem() throws {
        let workspace = try Workspace.forUI(holding: [Workspace.occurrence(1, fingerprint: "a", title: "Error A")])
        let app = try workspace.app(following: true)
        try workspace.ingest((2...4).map { Workspace.occurrence($0, fingerprint: "g\($0)", title: "Group \($0)") })
        try app.dataChanged()
        #expect(app.state.message?.text == "🔔 3 new issues while catching up, newest P1-4 Group 4 · b acknowledges")
        #expect(app.takeEffects() == [.bell], "one ring for the lot")
        #expect(app.render().line(0).contains("🔔 3"))
        app.handle(.character("b"))
        #expect(app.state.alerts == 0)
        #expect(!app.render().line(0).contains("🔔"))
        app.handle(.character("j"))
        try workspace.ingest([Workspace.occurrence(9, fingerprint: "g9", title: "Group 9")])
        try app.dataChanged()
        #expect(app.state.message?.text == "🔔 new issue: P1-5 Group 9")
    }

    @Test func test_colonColumnsIdShowsTheShortIdColumn() throws {
        let workspace = try Workspace.forUI(holding: [Workspace.occurrence(1, fingerprint: "a", title: "Error A")])
        let app = try workspace.app()
        #expect(!app.render().line(1).contains(" ID "))
        app.handle(.character(":"))
        for character in "columns id" { app.handle(.character(character)) }
        app.handle(.enter)
        #expect(app.render().line(1).hasPrefix(" LVL ID       TYPE"))
        #expect(app.render().line(2).hasPrefix("▌ERR P1-1     error"))
    }

    @Test func test_ctrlLAsksTheDriverToRepaint() throws {
        let app = try Workspace.forUI().app()
        app.handle(.control("l"))
        #expect(app.takeEffects() == [.repaint])
    }
}
