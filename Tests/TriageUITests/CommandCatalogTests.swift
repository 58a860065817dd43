import TriageTestSupport
import Foundation
import Testing
import TriageEngine
@testable import TriageUI

/// One catalog for every key: each scope's keys are its commands, a disabled command's key says
/// why, and help, footers, completion and `[keys]` validation all read it.
@Suite struct CommandCatalogTests {
    private func workspace() throws -> Workspace {
        try Workspace.errorsAAndB()
    }

    @Test func test_aKeyMeansOneCommandPerScopeSaveTheDeclaredFallback() {
        for scope in CommandScope.allCases where scope != .commandLine {
            var owners: [Key: [CommandID]] = [:]
            for command in CommandCatalog.commands(in: scope) {
                for key in command.defaultKeys { owners[key, default: []].append(command.id) }
            }
            let shared = owners.filter { $0.value.count > 1 }
            if scope == .details {
                #expect(shared.mapValues { $0 } == [.character("N"): [.previousMatch, .noise]], "N steps back through a search, else opens noise")
            } else {
                #expect(shared.isEmpty, "\(scope): \(shared)")
            }
        }
        #expect(CommandCatalog.commands(in: .statusPanel).map(\.defaultKeys).flatMap { $0 }.map(\.description).sorted()
                == ["Ctrl-d", "Ctrl-u", "End", "Esc", "G", "Home", "PgDn", "PgUp", "d", "e", "f", "g", "j", "k", "n", "o", "q", "r", "t", "w", "↑", "↓"])
        #expect(CommandCatalog.commands(in: .trackerMenu).map(\.id).filter { [.fileIssue, .linkIssue, .unlinkIssue].contains($0) }.count == 3)
        #expect(Set(CommandCatalog.all.map(\.id)) == Set(CommandID.allCases), "every command id is in the catalog")
    }

    @Test func test_pressingADisabledCommandsKeySaysItsReason() throws {
        let empty = try Workspace.forUI().app()
        for (key, reason) in [("r", "no group selected"), ("s", "no group selected"), ("y", "no group selected"),
                              ("u", "nothing to undo"), ("[", "open a group (⏎) to step through its occurrences"),
                              ("L", "no issue trackers configured: add a [plugins.NAME] table to the config"),
                              ("f", "no spool is being followed (start with --follow)"), ("a", "no group selected"), ("b", "no notifications to acknowledge")] {
            empty.handle(.character(Character(key)))
            #expect(empty.state.message?.text == reason, "\(key)")
        }
        let app = try workspace().app(height: 30)
        app.handle(.enter)
        app.handle(.character("n"))
        #expect(app.state.message?.text == "no search in the details: / searches them")
        app.handle(.character("t"))
        #expect(app.state.message?.text == "back to the list (Esc) first")
        app.handle(.character("N"))
        guard case .noise = app.state.overlay else {
            Issue.record("without a search, N in details opens the noise overlay")
            return
        }
        app.handle(.escape)
        app.handle(.character("/"))
        for character in "sub" { app.handle(.character(character)) }
        app.handle(.enter)
        app.handle(.character("N"))
        #expect(app.state.message?.text.hasPrefix("sub: ") == true, "with a search, N steps back through it")
    }

    @Test func test_theStatusPanelsChoicesAreCommandsThatRebindWithoutTouchingTheList() throws {
        let workspace = try workspace()
        let (keymap, problems) = Keymap.default.applying([("ignore_forever", ["F"])])
        #expect(problems.isEmpty)
        let app = try workspace.app(height: 30, keymap: keymap)
        app.handle(.character("s"))
        #expect(app.render().text.contains(" F  ignore forever"))
        app.handle(.character("f"))
        #expect(app.state.message?.text == "f is not a choice here; Esc closes the panel")
        app.handle(.character("F"))
        performJobs(app)
        #expect(try workspace.store.group("1").state == GroupState(status: .ignored, substatus: .forever))
        app.handle(.character("f"))
        #expect(app.state.message?.text == "no spool is being followed (start with --follow)", "the list's f is still follow")
    }

    @Test func test_keymapProblemsAreFoundPerScope() {
        let (keymap, problems) = Keymap.default.applying([("resolve", ["x"]), ("reopen", ["x"]), ("follow", ["c"]), ("sort", ["z"])])
        #expect(problems == [
            "[keys] x is bound to both resolve and reopen in the list; reopen keeps it",
            "[keys] sort: a word of the : line (:sort), not bound to keys",
        ])
        #expect(keymap.command(for: .character("x"), in: .list) == .reopen)
        #expect(keymap.command(for: .character("x"), in: .trackerMenu) == .unlinkIssue, "another scope keeps its x")
        #expect(keymap.command(for: .character("c"), in: .trackerMenu) == .fileIssue, "follow's c takes nothing from the tracker menu")
        #expect(keymap.command(for: .character("c"), in: .list) == .follow)
        #expect(keymap.command(for: .character("x"), in: .statusPanel) == .reopen, "resolve and reopen are the panel's r and o too")
    }

    @Test func test_footersHelpAndCompletionAreGeneratedFromTheCatalog() throws {
        let workspace = try workspace()
        let tickets = workspace.directory.path + "/tickets"
        let trackers = TrackerActions(store: workspace.store,
                                      trackers: [ConfiguredTracker(name: "tickets", plugin: MarkdownDirectoryTracker(directory: tickets))],
                                      activity: UserActivity(actor: Actor(userID: nil, defaultUserID: "carol")), clock: workspace.clock)
        let (keymap, _) = Keymap.default.applying([("file_issue", ["n"])])
        let app = try TriageApp(store: workspace.store, clock: workspace.clock, keymap: keymap, width: 100, height: 30, trackers: trackers)
        app.handle(.character("L"))
        #expect(app.render().text.contains("n new issue  l link existing  x unlink  Esc closes"), "the menu's footer follows the keymap")
        app.handle(.character("x"))
        #expect(app.state.message?.text == "P1-1 is not linked in tickets")
        app.handle(.character("z"))
        #expect(app.state.message?.text == "n new issue · l link existing · x unlink · Esc closes")
        app.handle(.escape)

        app.handle(.character("?"))
        var help = app.render().text
        for _ in 0..<4 {
            app.handle(.pageDown)
            help += app.render().text
        }
        #expect(help.contains("Ignore forever") && help.contains("ignore_forever"), "the panel's choices, with their [keys] names")
        #expect(help.contains("File a new issue") && help.contains("file_issue"))
        #expect(help.contains(":sort") && help.contains(":sort NAME [asc | desc]"), "the : line's words, with their arguments")
        app.handle(.escape)

        app.handle(.character(":"))
        for character in "ignore" { app.handle(.character(character)) }
        app.handle(.tab)
        #expect(app.state.commandLine?.text == "ignore ", "the panel's ignore_* choices are not : commands")
        app.handle(.control("u"))
        for character in "search_details" { app.handle(.character(character)) }
        app.handle(.enter)
        #expect(app.state.message?.text == ":search_details works in a group's details")
        app.handle(.control("u"))
        app.handle(.character("j"))
        app.handle(.tab)
        #expect(app.state.commandLine?.text == "jump ")
        for character in "P1-2" { app.handle(.character(character)) }
        app.handle(.enter)
        #expect(app.state.list.selectedGroup?.title == "Error B")
    }

    @Test func test_aStoreOpenedForReadingIsBrowsedAndEveryWriteSaysWhyNot() throws {
        let workspace = try workspace()
        let readOnly = try SQLiteStore(readingOnly: workspace.directory.path + "/store.sqlite", clock: workspace.clock)
        let app = try TriageApp(store: readOnly, clock: workspace.clock, width: 100, height: 20, readOnly: true)
        let reason = "the store is read-only here: browsing only"
        for key in ["r", "o", "s", "i", "u"] {
            app.handle(.character(Character(key)))
            #expect(app.state.message?.text == reason, "\(key)")
        }
        for line in ["priority high", "ignore 2h", "resolve"] {
            app.handle(.character(":"))
            for character in line { app.handle(.character(character)) }
            app.handle(.enter)
            #expect(app.state.message?.text == reason, ":\(line)")
        }
        #expect(performJobs(app).isEmpty, "nothing was sent to the store")
        app.handle(.character("j"))
        #expect(app.state.list.selectedGroup?.title == "Error B", "browsing works")
        app.handle(.enter)
        #expect(app.render().line(0).contains("Error B"))
    }
}

/// The footer's hints are those of the panel the keys reach, from the catalog's scopes.
@Suite struct FocusedFooterTests {
    @Test func test_theFooterFollowsTheFocusedPanel() throws {
        let app = try Workspace.errorsAAndB().app(width: 160, height: 30)
        let list = app.render().line(29)
        #expect(list.contains("details") && list.contains("filter"), "\(list)")
        app.handle(.character("s"))
        let panel = app.render().line(29)
        #expect(panel.contains("r resolve") && panel.contains("f forever") && panel.contains("Esc close"), "\(panel)")
        #expect(!panel.contains("filter") && !panel.contains("details"), "no list hints while the panel has the keys: \(panel)")
        for hint in StatusLine.hints(in: .statusPanel, keymap: .default) { #expect(panel.contains(hint) || panel.contains("…")) }
        app.handle(.escape)
        app.handle(.character("?"))
        let help = app.render().line(29)
        #expect(help.contains("scroll") && help.contains("Esc close") && !help.contains("filter"), "\(help)")
    }
}
