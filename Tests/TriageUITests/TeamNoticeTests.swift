import TriageTestSupport
import Testing
import TriageEngine
@testable import TriageUI

/// What the status line says about the team store coming back and about groups handed to `me`,
/// driven as the runner drives it (reachability, then a store event and the re-read it causes).
@Suite struct TeamNoticeTests {
    private func app(_ workspace: Workspace, as user: String = "alice") throws -> TriageApp {
        try TriageApp(store: workspace.store, clock: workspace.clock, width: 140, height: 30,
                      activity: UserActivity(actor: Actor(userID: user, defaultUserID: "login")))
    }

    private func groups(_ range: ClosedRange<Int>) -> [String] {
        range.map { Workspace.occurrence($0, fingerprint: "g\($0)", title: "Group \($0)") }
    }

    @Test func test_theStoreIsBackMessageClearsAfterAFewSecondsOrTheNextKey() throws {
        let workspace = try Workspace.forUI(holding: groups(1...2))
        let app = try app(workspace)
        app.setStoreUnreachable(true)
        app.setStoreUnreachable(false)
        try app.dataChanged()
        #expect(app.state.message?.text == "the team store is back")
        workspace.clock.advance(by: TriageApp.briefMessageSeconds - 1)
        #expect(!app.expireMessage())
        #expect(app.state.message?.text == "the team store is back")
        workspace.clock.advance(by: 1)
        #expect(app.expireMessage())
        #expect(app.state.message == nil)
        #expect(!app.render().text.contains("is back"))

        app.setStoreUnreachable(true)
        app.setStoreUnreachable(false)
        app.handle(.character("j"))
        #expect(app.state.message == nil, "a key clears it sooner")

        // A message that replaced it is no brief one: it stays until a key.
        app.setStoreUnreachable(true)
        app.setStoreUnreachable(false)
        app.show(Message(kind: .error, text: "resolve failed: refused"))
        workspace.clock.advance(by: TriageApp.briefMessageSeconds * 2)
        #expect(!app.expireMessage())
        #expect(app.state.message?.text == "resolve failed: refused")
    }

    @Test func test_theCatchUpMessageCountsWhatTheBellCounts() throws {
        let workspace = try Workspace.forUI(holding: groups(1...1))
        let app = try app(workspace)
        // One notification already rung and not acknowledged when the store went away.
        try workspace.ingest(groups(2...2))
        try app.dataChanged()
        #expect(app.state.alerts == 1)
        app.setStoreUnreachable(true)
        try workspace.ingest(groups(3...5))
        app.setStoreUnreachable(false)
        try app.dataChanged()
        #expect(app.state.alerts == 4)
        #expect(app.state.message?.text == "the team store is back; while it was away: 🔔 3 new issues, newest P1-5 Group 5 · b acknowledges (🔔 4 in all)")
        #expect(app.render().line(0).contains("🔔 4"))
        #expect(app.takeEffects().filter { $0 == .bell }.count == 2, "one ring before, one for the catch-up")
        // Brief, as the message it replaces.
        workspace.clock.advance(by: TriageApp.briefMessageSeconds)
        #expect(app.expireMessage())

        app.handle(.character("b"))
        app.setStoreUnreachable(true)
        try workspace.ingest(groups(6...7))
        app.setStoreUnreachable(false)
        try app.dataChanged()
        #expect(app.state.message?.text == "the team store is back; while it was away: 🔔 2 new issues, newest P1-7 Group 7 · b acknowledges")
        #expect(app.render().line(0).contains("🔔 2"))
    }

    @Test func test_aGroupSomeoneElseAssignsToMeIsAnnouncedOnceAndRings() throws {
        let workspace = try Workspace.forUI(holding: groups(1...3))
        let app = try app(workspace, as: "alice")
        let group = try workspace.store.group("2")
        try workspace.store.assign([group.id], to: "alice", actor: "bob")
        try app.dataChanged()
        #expect(app.state.message?.text == "🔔 \(group.shortID) assigned to you by bob")
        #expect(app.state.alerts == 1)
        #expect(app.takeEffects() == [.bell])
        // Said once: the next re-read has nothing new to say.
        app.handle(.character("j"))
        try app.dataChanged()
        #expect(app.state.message == nil)
        #expect(app.state.alerts == 1)

        // Assigning to myself, or someone else's group to carol, is no news for me.
        try workspace.store.assign([1], to: "alice", actor: "alice")
        try workspace.store.assign([3], to: "carol", actor: "bob")
        try app.dataChanged()
        #expect(app.state.message == nil)
        #expect(app.state.alerts == 1)
        #expect(app.takeEffects().isEmpty)

        // It is said even over a message being read, and beside new issues arriving at once.
        app.show(Message(kind: .info, text: "P1-1: nobody → alice"))
        try workspace.store.assign([3], to: "alice", actor: "dave")
        try workspace.ingest(groups(4...4))
        try app.dataChanged()
        let third = try workspace.store.group("3").shortID
        #expect(app.state.message?.text == "🔔 \(third) assigned to you by dave · 🔔 new issue: P1-4 Group 4")
        #expect(app.state.alerts == 3)
    }
}
