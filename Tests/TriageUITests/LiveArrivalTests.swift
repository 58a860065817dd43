import TriageTestSupport
import Testing
import TriageEngine
@testable import TriageUI

/// What arrives while the screen is open: the status line names the newest arrival and `:messages`
/// keeps each; a note added to the group open in details is signalled until it is in view.
@Suite struct LiveArrivalTests {
    private func app(_ workspace: Workspace, height: Int = 30) throws -> TriageApp {
        try TriageApp(store: workspace.store, clock: workspace.clock, width: 140, height: height,
                      activity: UserActivity(actor: Actor(userID: "alice", defaultUserID: "login")))
    }

    private func groups(_ range: ClosedRange<Int>) -> [String] {
        range.map { Workspace.occurrence($0, fingerprint: "g\($0)", title: "Group \($0)") }
    }

    @Test func test_arrivalsWhileTheLastIsShownNameTheNewestAndEachIsKeptInMessages() throws {
        let workspace = try Workspace.forUI(holding: groups(1...1))
        let app = try app(workspace)
        try workspace.ingest(groups(2...2))
        try app.dataChanged()
        #expect(app.state.message?.text == "🔔 new issue: P1-2 Group 2")
        try workspace.ingest(groups(3...3))
        try app.dataChanged()
        #expect(app.state.message?.text == "🔔 2 new issues, newest P1-3 Group 3 · b acknowledges", "not the older P1-2")
        // A message the user is reading stays; the arrival still reaches :messages.
        app.show(Message(kind: .error, text: "resolve failed: refused"))
        try workspace.ingest(groups(4...4))
        try app.dataChanged()
        #expect(app.state.message?.text == "resolve failed: refused")
        let log = app.state.messageLog.map(\.text)
        #expect(log.contains("🔔 new issue: P1-2 Group 2"), "\(log)")
        #expect(log.contains("🔔 2 new issues, newest P1-3 Group 3 · b acknowledges"), "\(log)")
        #expect(log.contains("🔔 new issue: P1-4 Group 4"), "\(log)")
        #expect(app.state.alerts == 3)
    }

    @Test func test_aNoteAddedBelowTheViewIsSignalledUntilScrolledTo() throws {
        let workspace = try Workspace.forUI(holding: groups(1...1))
        let app = try app(workspace, height: 12)
        app.handle(.enter)
        #expect(app.state.detail != nil)
        for index in 1...3 { _ = try workspace.store.addNote("earlier \(index)", to: 1, author: "alice") }
        try app.dataChanged()
        #expect(!app.render().text.contains("new note"), "one's own notes are no news")
        _ = try workspace.store.addNote("handing over: restarted the poller", to: 1, author: "bob")
        try app.dataChanged()
        let screen = app.render()
        #expect(screen.line(10).hasSuffix(DetailView.unseenNotesSign(1)), "\(screen.text)")
        app.handle(.character("j"))
        #expect(app.render().text.contains("1 new note ↓"), "still below the view")
        app.handle(.character("G"))
        let bottom = app.render().text
        #expect(bottom.contains("handing over: restarted the poller"), "\(bottom)")
        #expect(!bottom.contains("new note ↓"), "seen")
        app.handle(.character("g"))
        #expect(!app.render().text.contains("new note ↓"), "and stays seen")
    }
}
