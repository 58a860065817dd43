import Testing
import TriageEngine
@testable import TriageUI
import TriageTestSupport

/// Remapped keys, the `:` command line, and undo.
@Suite struct KeymapTests {
    @Test func test_userBindingsReplaceDefaultsAndTakeTheirKeysFromOtherCommands() throws {
        let (keymap, problems) = Keymap.default.applying([("resolve", ["R"]), ("down", ["j", "ctrl-n"]), ("quit", ["r"])])
        #expect(problems.isEmpty)
        #expect(keymap.command(for: .character("R")) == .resolve)
        #expect(keymap.command(for: .character("r")) == .quit, "r moved from resolve to quit")
        #expect(keymap.command(for: .control("n")) == .down)
        #expect(keymap.command(for: .down) == nil, "the binding replaces the defaults")
        #expect(keymap.command(for: .character("S")) == .cycleSort, "untouched commands keep theirs")
    }

    @Test func test_unknownCommandsAndKeyNamesAreReportedNotDropped() {
        let (keymap, problems) = Keymap.default.applying([("resolv", ["x"]), ("undo", ["ctrl-c", "hyper-z", "U"])])
        #expect(problems.count == 3)
        #expect(problems[0].hasPrefix("[keys] resolv: no such command (commands: down, up"))
        #expect(problems.contains("[keys] undo: ctrl-c always quits and cannot be rebound"))
        #expect(problems.contains { $0.contains("'hyper-z' is not a key name") })
        #expect(keymap.command(for: .character("U")) == .undo, "the usable part of the binding still applies")
    }

    @Test func test_remappedKeysDriveTheAppAndShowInHelpAndHints() throws {
        let workspace = try Workspace.forUI(holding: [Workspace.occurrence(1, fingerprint: "a", title: "Error A")])
        let (keymap, _) = Keymap.default.applying([("resolve", ["R"]), ("help", ["F"])])
        let app = try workspace.app(height: 40, keymap: keymap)
        #expect(app.render().line(39).contains("R resolve"), "status-line hints follow the keymap")
        app.handle(.character("r"))
        #expect(app.state.message?.text == "r does nothing here; F lists every key", "the hint names the key help is on now")
        app.handle(.character("R"))
        performJobs(app)
        #expect(try workspace.store.group("1").state == .resolved)
        app.handle(.character("F"))
        let help = app.render()
        #expect(help.line(try #require(help.rows(containing: "Resolve").first)).contains("R "))
    }
}

@Suite struct CommandLineTests {
    private func app() throws -> (Workspace, TriageApp) {
        let workspace = try Workspace.forUI(holding: [
            Workspace.occurrence(1, fingerprint: "a", title: "Seldom", time: 1_790_000_500),
            Workspace.occurrence(2, fingerprint: "b", title: "Often", time: 1_790_000_100),
            Workspace.occurrence(3, fingerprint: "b", title: "Often", time: 1_790_000_200),
        ])
        return (workspace, try workspace.app(height: 30))
    }

    /// Opens the `:` line (giving up one left open by a refusal) and runs `text`.
    private func type(_ text: String, into app: TriageApp) -> TriageApp.Outcome {
        if app.state.commandLine == nil { app.handle(.character(":")) } else if !text.isEmpty { app.handle(.escape); app.handle(.character(":")) }
        for character in text { app.handle(.character(character)) }
        defer { performJobs(app) }
        return app.handle(.enter)
    }

    @Test func test_sortQueryAndStatusCommands() throws {
        let (workspace, app) = try app()
        #expect(app.render().line(2).contains("Seldom"))
        app.handle(.character(":"))
        for character in "sort events" { app.handle(.character(character)) }
        #expect(app.render().line(29) == ":sort events▏" + String(repeating: " ", count: 100 - 13))
        app.handle(.enter)
        #expect(app.state.list.sort == .events)
        #expect(app.render().line(2).contains("Often"))
        #expect(app.state.list.selectedGroup?.title == "Seldom", "the cursor stays on its group")
        app.handle(.character("g"))
        _ = type("ignore 2h", into: app)
        #expect(try workspace.store.details(of: 2).ignoreCondition?.until == workspace.clock.now() + 7200)
        _ = type("query is:ignored", into: app)
        #expect(app.state.list.total == 1)
        _ = type("reopen", into: app)
        #expect(try workspace.store.group("2").state.status == .unresolved)
        _ = type("query", into: app)
        _ = type("priority high", into: app)
        #expect(app.state.message?.text == "P1-2: priority high", "the selected group (sorted by events)")
        #expect(try workspace.store.group("2").priorityLocked)
        #expect(try workspace.store.group("2").priority == 75)
        #expect(type("q", into: app) == .quit)
    }

    /// A refused line stays open with its text and the reason beside it, as the `/` line does: the
    /// keys typed next mend it instead of landing on the list (an `r` there resolves a group).
    @Test func test_aRefusedLineStaysOpenToBeMended() throws {
        let (_, app) = try app()
        app.handle(.character(":"))
        for character in "sort evnts" { app.handle(.character(character)) }
        app.handle(.enter)
        #expect(app.state.commandLine?.text == "sort evnts")
        #expect(app.state.commandLineError?.hasPrefix("did you mean :sort events? (sort by one of: last_seen") == true)
        #expect(app.render().line(29).hasPrefix(":sort evnts▏  ✗ did you mean :sort events? (sort by one of: last_seen"), "\(app.render().line(29))")
        for _ in 0..<3 { app.handle(.backspace) }
        #expect(app.state.commandLineError == nil, "an edit clears the reason")
        for character in "ents" { app.handle(.character(character)) }
        app.handle(.enter)
        #expect(app.state.commandLine == nil, "the mended line ran")
        #expect(app.state.list.sort == .events)
        #expect(app.state.messageLog.contains { $0.text.contains("sort by one of") }, ":messages keeps the reason whole")
    }

    @Test func test_mistakesAreNamedAndChangeNothing() throws {
        let (workspace, app) = try app()
        _ = type("resolv", into: app)
        #expect(app.state.message?.kind == .error)
        #expect(app.state.message?.text.hasPrefix("unknown command :resolv") == true)
        _ = type("Id:P1-", into: app)
        #expect(app.state.message?.text.hasPrefix("unknown command :Id:P1-") == true, "echoed as typed")
        _ = type("sort loudness", into: app)
        #expect(app.state.message?.text == "sort by one of: last_seen, first_seen, events, priority, trend (then asc or desc)")
        _ = type("ignore sometime", into: app)
        #expect(app.state.message?.text.hasPrefix(":ignore forever | escalating") == true)
        // A parameter of the right shape refused for its value says why, not only the usage.
        _ = type("ignore 0m", into: app)
        #expect(app.state.message?.text.hasPrefix("a duration must be longer than 0 (30m, 4h, 7d) — :ignore forever") == true)
        _ = type("ignore until 25:99", into: app)
        #expect(app.state.message?.text.hasPrefix("'25:99' is not a time such as 14:05") == true, "\(app.state.message?.text ?? "")")
        _ = type("ignore 0 events", into: app)
        #expect(app.state.message?.text.hasPrefix("'0' is not a count above 0") == true)
        _ = type("theme neon", into: app)
        #expect(app.state.message?.text.contains("unknown theme 'neon'") == true)
        #expect(try workspace.store.groups(matching: .all, sort: .lastSeen, limit: nil, offset: 0).allSatisfy { $0.state == .new })
    }

    @Test func test_themeCommandAsksTheDriverToSwitch() throws {
        let (_, app) = try app()
        _ = type("theme light", into: app)
        #expect(app.takeEffects() == [.theme(try ThemeCatalog(userDirectory: nil).theme(named: "light"))])
        #expect(app.takeEffects().isEmpty, "effects are taken once")
    }
}

@Suite struct UndoTests {
    @Test func test_undoTakesBackTheLastChangeOnce() throws {
        let workspace = try Workspace.forUI(holding: [Workspace.occurrence(1, fingerprint: "a", title: "Error A")])
        let app = try workspace.app(query: "")
        app.handle(.character("i"))
        app.handle(.character("n"))
        for character in "10/1h" { app.handle(.character(character)) }
        app.handle(.enter)
        performJobs(app)
        app.handle(.character("r"))
        performJobs(app)
        #expect(try workspace.store.group("1").state == .resolved)
        app.handle(.character("u"))
        performJobs(app)
        #expect(app.state.message?.text == "undone: P1-1 back to ignored/archived_until_condition_met · 1 more to undo")
        let details = try workspace.store.details(of: 1)
        #expect(details.group.state == GroupState(status: .ignored, substatus: .untilConditionMet))
        #expect(details.ignoreCondition == IgnoreCondition(count: 10, countWindow: 3600), "the condition comes back too")
        #expect(details.history.last?.cause == "undo")
        app.handle(.character("u"))
        performJobs(app)
        #expect(app.state.message?.text == "undone: P1-1 back to unresolved/new", "every change since the UI opened can be undone")
        #expect(try workspace.store.group("1").state == GroupState(status: .unresolved, substatus: .new))
        app.handle(.character("u"))
        performJobs(app)
        #expect(app.state.message?.text == "nothing to undo")
    }

    @Test func test_undoLeavesAloneAGroupThatChangedSince() throws {
        let workspace = try Workspace.forUI(holding: [Workspace.occurrence(1, fingerprint: "a", title: "Error A")])
        let app = try workspace.app(query: "")
        app.handle(.character("r"))
        performJobs(app)
        // A new occurrence regresses the resolved group before the user undoes.
        try workspace.ingest([Workspace.occurrence(2, fingerprint: "a", title: "Error A", time: 1_790_000_300)])
        app.handle(.character("u"))
        performJobs(app)
        #expect(app.state.message?.kind == .error)
        #expect(app.state.message?.text.hasSuffix("left alone (changed since): P1-1") == true)
        #expect(try workspace.store.group("1").state == GroupState(status: .unresolved, substatus: .regressed))
    }
}
