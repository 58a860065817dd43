import Testing
import TriageEngine
@testable import TriageUI
import TriageTestSupport

/// `Tab` as a shell has it, on every input line: the first completes the candidates' longest common
/// start and lists them all, the next steps through them.
@Suite struct ShellTabTests {
    private func type(_ text: String, _ app: TriageApp) {
        for character in text { app.handle(.character(character)) }
    }

    /// A project whose groups the list does not show (resolved, under is:unresolved) is offered by
    /// the very `Tab` that writes `project:`, not only by the next one.
    @Test func test_theTabThatWritesProjectListsEveryProject() throws {
        let workspace = try Workspace.forUI(holding: [
            PayloadBuilder.bare(id: 1, project: 1, fingerprint: "a", time: 1_790_000_500, title: "Error A").json,
            PayloadBuilder.bare(id: 2, project: 7, fingerprint: "b", time: 1_790_000_400, title: "Error B").json,
        ])
        let hidden = try workspace.store.group("P7-2")
        _ = try workspace.store.apply(.resolve, to: [hidden.id], actor: nil)
        let app = try workspace.app()
        app.handle(.character("/"))
        type("proj", app)
        app.handle(.tab)
        #expect(app.state.editor?.text == "is:unresolved project:")
        #expect(app.state.editor?.heldValueCandidates?.candidates == ["1", "7"])
        #expect(app.render().line(18).contains(" 7 "), "the whole list is on screen at once")
    }

    /// `:P3-` on its way to a jump offers the groups' short ids.
    @Test func test_aPartialShortIDCompletesOnTheCommandLine() throws {
        let workspace = try Workspace.forUI(holding: [
            PayloadBuilder.bare(id: 1, project: 3, fingerprint: "a", time: 1_790_000_500, title: "Error A").json,
            PayloadBuilder.bare(id: 2, project: 3, fingerprint: "b", time: 1_790_000_400, title: "Error B").json,
            PayloadBuilder.bare(id: 3, project: 4, fingerprint: "c", time: 1_790_000_300, title: "Error C").json,
        ])
        let app = try workspace.app()
        app.handle(.character(":"))
        type("P3-", app)
        app.handle(.tab)
        #expect(app.state.commandCandidates?.candidates == ["P3-1", "P3-2"])
        #expect(app.state.commandLine?.text == "P3-")
        app.handle(.tab)
        #expect(app.state.commandLine?.text == "P3-1")
        app.handle(.escape)
        app.handle(.character(":"))
        type("p4", app)
        app.handle(.tab)
        #expect(app.state.commandLine?.text == "P4-3", "one candidate completes in place, as the id is spelt")
        app.handle(.enter)
        #expect(app.state.list.selectedGroup?.shortID == "P4-3")
    }

    /// With the candidates already listed under a half-typed value and nothing more in common, the
    /// first `Tab` is seen to do something: it steps to the first candidate.
    @Test func test_theFirstTabOnAListedSharedPrefixIsVisible() throws {
        let app = try Workspace.errorsAAndB().app()
        app.handle(.character("/"))
        app.handle(.control("u"))
        type("level:", app)
        let listed = try #require(app.state.editor?.heldValueCandidates?.candidates)
        #expect(listed.count > 1)
        let before = app.render().text
        app.handle(.tab)
        #expect(app.render().text != before, "the first Tab changes the screen")
        #expect(app.state.editor?.text == "level:\(listed[0])")
        app.handle(.tab)
        #expect(app.state.editor?.text == "level:\(listed[1])", "the next Tab steps")
    }

    /// Where the candidates share more than was typed, the first `Tab` writes that and lists them all.
    @Test func test_theFirstTabCompletesTheCommonStartAndListsAll() throws {
        let app = try Workspace.errorsAAndB().app()
        app.handle(.character(":"))
        type("r", app)
        app.handle(.tab)
        let candidates = try #require(app.state.commandCandidates?.candidates)
        #expect(candidates.count > 1 && candidates.allSatisfy { $0.hasPrefix("r") })
        let common = candidates.dropFirst().reduce(candidates[0]) { String($0.commonPrefix(with: $1)) }
        #expect(app.state.commandLine?.text == common)
        #expect(app.state.commandCandidates?.index == nil)
    }
}
