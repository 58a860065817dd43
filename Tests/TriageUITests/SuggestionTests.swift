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
        app.handle(.tab)
        #expect(app.state.editor?.completion?.candidates == (1...30).map(String.init))
        #expect(app.render().text.contains("more"), "the list says how many more lie off the row")
        type("2", app)
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

}
