import Testing
import TriageEngine
@testable import TriageUI
import TriageTestSupport

/// The status panel and its results word a timed ignore as a time, a counted one as its condition,
/// and a panel on marked groups says how many and which.
@Suite struct StatusWordingTests {
    private func answer(_ choice: Character, _ text: String, _ app: TriageApp) {
        app.handle(.character("s"))
        app.handle(.character(choice))
        for character in text { app.handle(.character(character)) }
        app.handle(.enter)
        performJobs(app)
    }

    @Test func test_aTimedIgnoreIsWordedAsATime() throws {
        let app = try Workspace.errorsAAndB().app(width: 120)
        answer("d", "2h", app)
        let text = try #require(app.state.message?.text)
        let until = ActionWording.clock(1_790_000_600 + 7200, now: 1_790_000_600)
        #expect(until.hasSuffix(" UTC") && until.count == 9, "\(until)")
        #expect(text == "P1-1: unresolved/new → ignored for 2h — until \(until)", "\(text)")
        #expect(!app.render().text.contains("condition"))
    }

    @Test func test_aCountedIgnoreIsWordedAsItsCondition() throws {
        let app = try Workspace.errorsAAndB().app(width: 120)
        app.handle(.character(" "))
        app.handle(.character(" "))
        answer("n", "100/1h", app)
        #expect(app.state.message?.text == "ignore until 100 more events within 1h: 2 groups")
    }

    @Test func test_thePanelOnMarkedGroupsSaysHowManyAndWhich() throws {
        let workspace = try Workspace.twoTimeoutsAndADiskFull()
        let app = try workspace.app(width: 120, height: 30)
        for _ in 0..<3 { app.handle(.character(" ")) }
        app.handle(.character("s"))
        let text = app.render().text
        #expect(text.contains("Status of 3 marked groups: P1-1, P1-2, P1-3"), "\(text)")
        #expect(ActionWording.marked(Array(repeating: try workspace.store.group("1"), count: 5)).hasSuffix(" and 2 more"))
    }
}
