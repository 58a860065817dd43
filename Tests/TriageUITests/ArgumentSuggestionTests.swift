import Testing
import TriageEngine
@testable import TriageUI
import TriageTestSupport

/// A `:` command's mistyped argument gets "did you mean", by the rule commands and query values use;
/// a group id is echoed as it was typed.
@Suite struct ArgumentSuggestionTests {
    private func run(_ text: String, _ app: TriageApp) -> String? {
        app.handle(.character(":"))
        for character in text { app.handle(.character(character)) }
        app.handle(.enter)
        let error = app.state.commandLineError
        app.handle(.escape)
        return error
    }

    @Test(arguments: [
        ("sort evnts", ":sort events"),
        ("sort events dsc", ":sort events desc"),
        ("theme lihgt", ":theme light"),
        ("priority hgh", ":priority high"),
        ("mouse of", ":mouse off"),
    ])
    func test_aMistypedArgumentSuggestsTheNearest(typed: String, guess: String) throws {
        let app = try Workspace.errorsAAndB().app(width: 200)
        let error = try #require(run(typed, app))
        #expect(error.hasPrefix("did you mean \(guess)?"), "\(error)")
        #expect(app.render().text.contains("did you mean \(guess)?"))
    }

    @Test func test_aValidArgumentStillRuns() throws {
        let app = try Workspace.errorsAAndB().app()
        #expect(run("sort events", app) == nil)
        #expect(app.state.list.sort == .events)
    }

    @Test func test_anUnknownGroupIsEchoedAsTyped() throws {
        let app = try Workspace.errorsAAndB().app(width: 200)
        let error = try #require(run("P1-9", app))
        #expect(error.contains("P1-9") && !error.contains("p1-9"), "\(error)")
    }
}
