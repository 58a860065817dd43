import Testing
import TriageEngine
@testable import TriageUI
import TriageTestSupport

/// One suggestion rule for everything typed: keys, every key's values and `:` commands; `Tab`
/// completes `:jump`'s group ids and every project in the store; and the prefix rule applies to the
/// term under the cursor wherever it is on the line.
@Suite struct SuggestionTests {
    private func app(height: Int = 20) throws -> (Workspace, TriageApp) {
        let workspace = try Workspace.twoTimeoutsAndADiskFull()
        return (workspace, try workspace.app(height: height))
    }

    private func type(_ text: String, _ app: TriageApp) {
        for character in text { app.handle(.character(character)) }
    }

    @Test func test_aMistypedCommandSuggestsTheNearest() throws {
        let (_, app) = try app()
        app.handle(.character(":"))
        type("reslove", app)
        app.handle(.enter)
        #expect(app.state.message?.text == "unknown command :reslove; did you mean :resolve?")
        app.handle(.escape)
        app.handle(.character(":"))
        type("xyzzy", app)
        app.handle(.enter)
        #expect(app.state.message?.text.hasPrefix("unknown command :xyzzy (try :resolve") == true, "nothing close: the usual hint")
    }

    @Test func test_keysIsAndHasValuesSuggestByTheSameRule() throws {
        let parser = QueryParser(registry: try Workspace.forUI().store.registry)
        for (query, suggestion) in [("has:importnat", "did you mean important?"), ("is:unreslved", "did you mean unresolved?"),
                                    ("levle:error", "did you mean level:?"), ("level:eror", "did you mean error?")] {
            #expect(throws: QueryError.self) { try parser.parse(query) }
            do { _ = try parser.parse(query) } catch { #expect(error.suggestion == suggestion, "\(query)") }
        }
        let (_, app) = try app()
        app.handle(.character("/"))
        app.handle(.control("u"))
        type("has:importnat", app)
        #expect(app.state.editor?.suggestion == "did you mean important?")
        #expect(app.render().text.contains("did you mean important?"))
    }

    @Test func test_jumpCompletesTheVisibleGroupsMostRecentFirst() throws {
        let (_, app) = try app()
        app.handle(.character("R"))
        app.handle(.character(":"))
        type("jump ", app)
        app.handle(.tab)
        #expect(app.state.commandCandidates?.candidates == ["P1-1", "P1-2", "P1-3"], "most recently seen first, whatever the sort")
        app.handle(.tab)
        #expect(app.state.commandLine?.text == "jump P1-1")
        app.handle(.enter)
        #expect(app.state.list.selectedGroup?.shortID == "P1-1")
        app.handle(.character(":"))
        type("jump p1-3", app)
        app.handle(.tab)
        #expect(app.state.commandLine?.text == "jump P1-3 ", "one candidate goes in place")
    }

    @Test func test_projectCompletesEveryProjectInTheStore() throws {
        let workspace = try Workspace.forUI(holding: (1...30).map {
            PayloadBuilder.bare(id: $0, project: $0, fingerprint: "f\($0)", time: 1_790_000_000 + Double($0), title: "Group \($0)").json
        })
        let app = try workspace.app(height: 8)
        #expect(app.state.list.rows.count == 5, "a page shows a few projects' groups")
        app.handle(.character("/"))
        app.handle(.control("u"))
        type("project:", app)
        #expect(app.state.editor?.heldValueCandidates?.candidates == (1...30).map(String.init))
        #expect(app.render().text.contains("more"), "the list says how many more lie off the row")
        app.handle(.tab)
        #expect(app.state.editor?.completion?.candidates == (1...30).map(String.init), "Tab steps through them all")
        app.handle(.control("u"))
        type("project:2", app)
        app.handle(.tab)
        #expect(app.state.editor?.completion?.candidates == ["2", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29"])
    }

    @Test func test_aNegativeProjectsShortIDWorksEverywhere() throws {
        let workspace = try Workspace.forUI(holding: [
            PayloadBuilder.bare(id: 1, project: -1, fingerprint: "n", time: 1_790_000_000, title: "Negative project").json,
            PayloadBuilder.bare(id: 2, project: 1, fingerprint: "p", time: 1_790_000_100, title: "Positive project").json,
        ])
        let group = try workspace.store.group("1")
        #expect(group.shortID == "P-1-1")
        #expect(try workspace.store.group("P-1-1").id == 1, "the store's lookup (CLI show)")
        let app = try workspace.app()
        app.handle(.character(":"))
        type("P-1-1", app)
        app.handle(.enter)
        #expect(app.state.list.selectedGroup?.title == "Negative project", "\(app.state.message?.text ?? "")")
        app.handle(.character(":"))
        type("jump p-1-1", app)
        app.handle(.enter)
        #expect(app.state.list.selectedGroup?.title == "Negative project")
        app.handle(.character("/"))
        app.handle(.control("u"))
        type("id:P-1-1", app)
        app.handle(.enter)
        #expect(app.state.list.rows.map(\.title) == ["Negative project"])
    }

    /// `level:wr` fixed in the middle (`level:wa|r`) is a value on its way to `warning` as much as
    /// `level:war|` is: candidates, not an error, with the cursor anywhere in the term.
    @Test func test_theTermUnderTheCursorIsHeldWhereverItIs() throws {
        let (_, app) = try app()
        app.handle(.character("/"))
        app.handle(.control("u"))
        type("level:wr is:unresolved", app)
        #expect(app.state.editor?.error != nil, "wr is no level's start")
        app.handle(.home)
        app.handle(.alt(.character("f")))
        app.handle(.alt(.character("f")))
        app.handle(.left)
        type("a", app)
        #expect(app.state.editor?.text == "level:war is:unresolved")
        #expect(app.state.editor?.line.cursor == 8)
        #expect(app.state.editor?.error == nil, "\(String(describing: app.state.editor?.error))")
        #expect(app.state.editor?.heldWord == "level:war")
        #expect(app.state.editor?.heldValueCandidates?.candidates == ["warning"])
        #expect(app.state.list.query.source.trimmingCharacters(in: .whitespaces) == "is:unresolved", "the rest runs live")
        app.handle(.tab)
        #expect(app.state.editor?.text == "level:warning is:unresolved", "Tab completes the whole value under the cursor")
        app.handle(.control("u"))
        app.handle(.control("k"))
        type("levle:error", app)
        app.handle(.home)
        type("x", app)
        #expect(app.state.editor?.error != nil, "xlevle is no key: an error, cursor or not")
    }

    /// Moving the cursor, not only typing, decides again what is held: into a half-typed value its
    /// error gives way to candidates, and out of it the error is back.
    @Test func test_movingTheCursorIntoAHalfTypedValueHoldsItAndOutShowsTheError() throws {
        let (_, app) = try app()
        app.handle(.character("/"))
        app.handle(.control("u"))
        type("level:err timeout", app)
        #expect(app.state.editor?.error != nil, "level:err with the cursor elsewhere is an error")
        app.handle(.home)
        app.handle(.alt(.character("f")))
        app.handle(.alt(.character("f")))
        app.handle(.left)
        #expect(app.state.editor?.error == nil, "\(String(describing: app.state.editor?.error))")
        #expect(app.state.editor?.heldValueCandidates?.candidates == ["error"])
        app.handle(.end)
        #expect(app.state.editor?.error != nil, "the cursor left it: an error again")
    }
}
