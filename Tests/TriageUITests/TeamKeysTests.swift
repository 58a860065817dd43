import TriageTestSupport
import Testing
import TriageEngine
@testable import TriageUI

/// `a` assigns through a prompt with completion, `c` adds a note; both show where people look.
@Suite struct TeamKeysTests {
    private func app(_ workspace: Workspace, width: Int = 140, height: Int = 30, as user: String = "alice") throws -> TriageApp {
        try TriageApp(store: workspace.store, clock: workspace.clock, width: width, height: height,
                      activity: UserActivity(actor: Actor(userID: user, defaultUserID: "login")))
    }

    private func workspace(groups: Int) throws -> Workspace {
        let workspace = try Workspace.forUI()
        try workspace.ingest((1...groups).map { Workspace.occurrence($0, fingerprint: "g\($0)", title: "Group \($0)") })
        return workspace
    }

    private func type(_ text: String, into app: TriageApp) {
        for character in text { app.handle(.character(character)) }
    }

    /// A payload's Sentry actor (`user:bob@example.com`) is stored and shown as the name alone, the
    /// name `a`, `assigned:` and the history use; one stored with its prefix reads without it too.
    @Test func test_aPayloadsActorPrefixIsDroppedOnIngestAndDisplay() throws {
        let workspace = try Workspace.forUI()
        try workspace.ingest([PayloadBuilder.bare(id: 1, fingerprint: "a", time: 1_790_000_000, title: "Owned")
            .with("assignee", #""user:bob@example.com""#).json])
        #expect(try workspace.store.group("1").assignee == "bob@example.com")
        let app = try app(workspace, width: 160)
        #expect(app.render().line(2).contains("bob@examp…"), "\(app.render().line(2))")
        app.handle(.enter)
        let details = app.render().text
        #expect(details.contains("assignee    bob@example.com"), "\(details)")
        #expect(!details.contains("user:"))
        let parser = QueryParser(registry: workspace.store.registry)
        #expect(try workspace.store.countGroups(matching: parser.parse("assigned:user:bob@example.com")) == 1, "a query names the same assignee, prefix or not")
    }

    /// While the team store is unreachable, `c` and `a` still open their prompts: a sentence typed
    /// after them never runs as list keys (`r`, `i`…), and Enter keeps it until the store is back.
    @Test func test_aNoteTypedWhileTheStoreIsUnreachableStaysInItsPrompt() throws {
        let workspace = try workspace(groups: 3)
        let app = try app(workspace)
        app.state.storeUnreachable = true
        app.handle(.character("c"))
        type("resolved it, reopen if", into: app)
        app.handle(.enter)
        #expect(app.state.teamPrompt?.line.text == "resolved it, reopen if")
        #expect(app.state.teamPrompt?.error?.hasPrefix("the store is unreachable (retrying)") == true)
        #expect(app.state.list.marked.isEmpty && app.state.list.selected == 0, "no letter reached the list")
        app.state.storeUnreachable = false
        app.handle(.enter)
        _ = performJobs(app)
        #expect(app.state.teamPrompt == nil)
        #expect(try workspace.store.details(of: app.state.list.rows[0].id).notes.map(\.text) == ["resolved it, reopen if"])
        #expect(try (1...3).allSatisfy { try workspace.store.group(String($0)).state == .new })
    }

    @Test func test_aAssignsTheSelectedGroupCompletingNamesInUse() throws {
        let workspace = try workspace(groups: 2)
        let app = try app(workspace)
        let selected = try #require(app.state.list.selectedGroup)
        try workspace.store.assign([selected.id == 1 ? 2 : 1], to: "bob", actor: "carol")
        app.handle(.character("a"))
        #expect(app.render().line(29).hasPrefix(" assign \(selected.shortID) to: ▏"))
        app.handle(.tab)
        #expect(app.state.teamPrompt?.completion?.candidates == ["me", "none", "bob"], "me, none, then the names in use")
        app.handle(.character("b"))
        app.handle(.tab)
        #expect(app.state.teamPrompt?.line.text == "bob", "one name fits: completed in place")
        app.handle(.enter)
        #expect(app.state.teamPrompt == nil)
        #expect(app.state.running.values.contains("assigning…"), "the write is a job for the runner, off the UI thread")
        #expect(performJobs(app).map(\.label) == ["assigning…"])
        #expect(app.state.message?.text == "\(selected.shortID): nobody → bob")
        #expect(app.takeEffects() == [.deliverNotifications], "the runner delivers the assignment now")
        #expect(try workspace.store.group(String(selected.id)).assignee == "bob")
        let grid = app.render()
        #expect(grid.line(1).contains("ASSIGNEE"))
        let row = try #require(grid.rows(containing: selected.title).first)
        #expect(grid.line(row).contains(" bob "), "\(grid.line(row))")
        let history = try workspace.store.details(of: selected.id).assignments
        #expect(history.map(\.actor) == ["alice"], "the actor is $TRIAGE_USER, else the login name")
    }

    @Test func test_aAssignsEveryMarkedGroupToMe() throws {
        let workspace = try workspace(groups: 3)
        let app = try app(workspace)
        app.handle(.character(" "))
        app.handle(.character(" "))
        app.handle(.character("a"))
        #expect(app.render().line(29).hasPrefix(" assign 2 groups to: "))
        type("me", into: app)
        app.handle(.enter)
        performJobs(app)
        #expect(app.state.message?.text == "assigned 2 groups to alice")
        #expect(app.state.list.marked.isEmpty)
        #expect(try workspace.store.countGroups(matching: QueryParser(registry: .builtIn, me: "alice").parse("assigned:me")) == 2)
    }

    @Test func test_uTakesBackTheAssignmentJustMadeNotAnOlderStatusChange() throws {
        let workspace = try workspace(groups: 2)
        let app = try app(workspace)
        let resolved = try #require(app.state.list.selectedGroup)
        app.handle(.character("r"))
        performJobs(app)
        let assigned = try #require(app.state.list.selectedGroup)
        #expect(assigned.id != resolved.id)
        app.handle(.character("a"))
        type("bob", into: app)
        app.handle(.enter)
        performJobs(app)
        app.handle(.character("u"))
        performJobs(app)
        #expect(try workspace.store.group(String(assigned.id)).assignee == nil, "the assignment is taken back")
        #expect(try workspace.store.group(String(resolved.id)).state == .resolved, "the older resolve stays")
        #expect(app.state.message?.text == "undone: \(assigned.shortID) back to nobody · 1 more to undo")
        app.handle(.character("u"))
        performJobs(app)
        #expect(try workspace.store.group(String(resolved.id)).state != .resolved, "then the resolve")
    }

    @Test func test_aNameThatCannotBeAnAssigneeKeepsThePromptOpenSayingWhy() throws {
        let workspace = try workspace(groups: 1)
        let app = try app(workspace)
        app.handle(.character("a"))
        type("al ice", into: app)
        app.handle(.enter)
        #expect(app.state.teamPrompt != nil)
        #expect(app.render().line(29).contains("✗ cannot assign to \"al ice\": a name is one word, without spaces"))
        #expect(try workspace.store.group("1").assignee == nil)
        app.handle(.escape)
        #expect(app.state.teamPrompt == nil, "Esc cancels")
        #expect(try workspace.store.group("1").assignee == nil)
    }

    @Test func test_cAddsANoteThatDetailsShowWithAuthorAndAge() throws {
        let workspace = try workspace(groups: 1)
        let app = try app(workspace, height: 60)
        app.handle(.enter)
        app.handle(.character("a"))
        type("bob", into: app)
        app.handle(.enter)
        performJobs(app)
        workspace.clock.advance(by: 120)
        app.handle(.character("c"))
        #expect(app.render().line(59).hasPrefix(" note on P1-1: "))
        type("handing over to bob: restarted the poller", into: app)
        app.handle(.enter)
        performJobs(app)
        #expect(app.state.message?.text == "P1-1: note added")
        workspace.clock.advance(by: 120)
        app.handle(.character("G"))
        let text = app.render().text
        #expect(text.contains("assigned to bob  by alice · 4m ago"), "\(text)")
        #expect(text.contains("note  alice · 2m ago"), "\(text)")
        #expect(text.contains("     handing over to bob: restarted the poller"))
        #expect(try workspace.store.details(of: 1).notes.map(\.author) == ["alice"])
    }

    @Test func test_aNoteGoesOnTheMarkedGroupsAsAnAssignmentWould() throws {
        let workspace = try workspace(groups: 3)
        let app = try app(workspace)
        let marked = [app.state.list.selectedGroup?.id]
        app.handle(.character(" "))
        let second = app.state.list.selectedGroup?.id
        app.handle(.character(" "))
        let unmarked = try #require(app.state.list.selectedGroup?.id)
        #expect(!app.state.list.marked.contains(unmarked), "the cursor rests on a third, unmarked row")
        app.handle(.character("c"))
        #expect(app.render().line(29).hasPrefix(" note on 2 groups: "))
        type("both share the pool", into: app)
        app.handle(.enter)
        performJobs(app)
        #expect(app.state.message?.text.hasPrefix("note added to 2 groups: ") == true, "\(String(describing: app.state.message))")
        for id in marked + [second] {
            #expect(try workspace.store.details(of: try #require(id)).notes.map(\.text) == ["both share the pool"])
        }
        #expect(try workspace.store.details(of: unmarked).notes.isEmpty, "the unmarked row under the cursor got nothing")
    }

    @Test func test_anEmptyNoteIsRefusedInThePrompt() throws {
        let workspace = try workspace(groups: 1)
        let app = try app(workspace)
        app.handle(.character("c"))
        type("  ", into: app)
        app.handle(.enter)
        #expect(app.render().line(29).contains("✗ a note needs some text"))
        #expect(try workspace.store.details(of: 1).notes.isEmpty)
    }

    @Test func test_theCommandLineAssignsAndNotesWithAnArgument() throws {
        let workspace = try workspace(groups: 1)
        let app = try app(workspace)
        for line in [":assign me", ":note restarted the poller"] {
            type(line, into: app)
            app.handle(.enter)
            performJobs(app)
        }
        #expect(try workspace.store.group("1").assignee == "alice")
        #expect(try workspace.store.details(of: 1).notes.map(\.text) == ["restarted the poller"])
        type(":assign alice bob", into: app)
        app.handle(.enter)
        #expect(app.state.message?.text == "cannot assign to \"alice bob\": a name is one word, without spaces")
        #expect(try workspace.store.group("1").assignee == "alice")
    }

    @Test func test_helpSaysAcknowledgeMovedToB() throws {
        let help = OverlayViews.helpLines(keymap: .default).map { $0.map(\.text).joined() }
        #expect(help.contains { $0.contains("b clears it (acknowledge was a, which now assigns)") })
        #expect(help.contains { $0.hasPrefix("a ") && $0.contains(":assign") })
        #expect(help.contains { $0.hasPrefix("c ") && $0.contains(":note") })
    }

    @Test func test_theAssigneeColumnFoldsAwayOnANarrowTerminal() throws {
        let workspace = try workspace(groups: 1)
        try workspace.store.assign([1], to: "bob", actor: "carol")
        #expect(try app(workspace, width: 130).render().line(1).contains("ASSIGNEE"))
        let narrow = try app(workspace, width: 120).render()
        #expect(!narrow.line(1).contains("ASSIGNEE"))
        #expect(narrow.line(1).contains("PRI"), "it goes before PROJ and PRI")
    }

    @Test func test_assignCompletesInTheQueryLineToo() throws {
        let workspace = try workspace(groups: 1)
        try workspace.store.assign([1], to: "bob", actor: "carol")
        let app = try app(workspace)
        app.handle(.character("/"))
        type("assigned:b", into: app)
        app.handle(.tab)
        #expect(app.state.editor?.text == "is:unresolved assigned:bob")
        #expect(app.state.list.total == 1)
    }

    @Test func test_detailsSayWhoChangedTheStatusAndHowLongAgo() throws {
        let workspace = try workspace(groups: 1)
        let app = try TriageApp(store: workspace.store, clock: workspace.clock, query: "", width: 140, height: 60,
                                activity: UserActivity(actor: Actor(userID: "alice", defaultUserID: "login")))
        app.handle(.character("r"))
        performJobs(app)
        #expect(try workspace.store.details(of: 1).history.last?.actor == "alice", "the person, not the program they used")
        workspace.clock.advance(by: 120)
        app.handle(.character("u"))
        performJobs(app)
        app.handle(.enter)
        let grid = app.render()
        let resolved = try #require(grid.rows(containing: "→ resolved").first)
        #expect(grid.line(resolved).contains("unresolved/new → resolved  by alice · 2m ago"), "\(grid.line(resolved))")
        let undone = try #require(grid.rows(containing: "resolved → ").first)
        #expect(grid.line(undone).contains("undone by alice · 0s ago"), "\(grid.line(undone))")
        let created = try #require(grid.rows(containing: "occurrence:new_group").first)
        #expect(grid.line(created).contains("occurrence:new_group · "), "a rule or payload says what did it: \(grid.line(created))")
    }
}
