import TriageTestSupport
import Testing
import TriageEngine
@testable import TriageUI

/// A priority set by hand shows in the details' history with who set it, as status changes do.
@Suite struct PriorityHistoryTests {
    @Test func test_aPrioritySetInTheUIShowsInTheDetailsHistoryWithItsActor() throws {
        let workspace = try Workspace.forUI(holding: [Workspace.occurrence(1, fingerprint: "a", title: "Error A")])
        let app = try TriageApp(store: workspace.store, clock: workspace.clock, width: 140, height: 100,
                                activity: UserActivity(actor: Actor(userID: "alice", defaultUserID: "login")))
        app.handle(.character(":"))
        for character in "priority high" { app.handle(.character(character)) }
        app.handle(.enter)
        performJobs(app)
        #expect(try workspace.store.group("1").priorityLocked)
        app.handle(.enter)
        let details = app.render().text
        #expect(details.contains("priority auto → high  by alice"), "\(details)")
    }
}
