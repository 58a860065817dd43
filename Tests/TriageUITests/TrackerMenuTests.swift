import Foundation
import Testing
import TriageEngine
@testable import TriageUI
import TriageTestSupport

/// The `L` menu with a real Markdown tracker writing into a real directory.
@Suite struct TrackerMenuTests {
    @Test func test_theMenuFilesLinksAndUnlinksAndDetailsShowTheLink() throws {
        let workspace = try Workspace.forUI(holding: [Workspace.occurrence(1, fingerprint: "a", title: "Checkout is down")])
        let tickets = workspace.directory.path + "/tickets"
        let trackers = TrackerActions(store: workspace.store,
                                      trackers: [ConfiguredTracker(name: "tickets", plugin: MarkdownDirectoryTracker(directory: tickets))],
                                      activity: UserActivity(actor: Actor(userID: nil, defaultUserID: "carol")), clock: workspace.clock)
        let app = try TriageApp(store: workspace.store, clock: workspace.clock, width: 100, height: 30, trackers: trackers)
        app.handle(.enter)
        app.handle(.character("L"))
        var grid = app.render()
        #expect(grid.text.contains("Trackers for P1-1"))
        #expect(grid.text.contains("▌tickets  not linked  (Markdown directory)"))
        app.handle(.character("c"))
        #expect(app.render().line(0).hasSuffix(" filing on tickets… "), "working, said in the header: \(app.render().line(0))")
        #expect(!FileManager.default.fileExists(atPath: tickets + "/P1-1.md"), "the call is the runner's to make, off the UI thread")
        app.handle(.character("c"))
        #expect(app.state.message?.text == "still filing on tickets…; one tracker call at a time")
        app.handle(.character("j"))
        #expect(app.render().text.contains("Trackers for P1-1"), "keys are served meanwhile")
        performJobs(app)
        #expect(app.state.working == nil)
        #expect(app.state.message == Message(kind: .info, text: "P1-1: linked to \(tickets)/P1-1.md"))
        #expect(FileManager.default.fileExists(atPath: tickets + "/P1-1.md"))
        grid = app.render()
        #expect(grid.text.contains("linked: \(tickets)/P1-1.md"), "the menu stays open with the new state")
        app.handle(.character("c"))
        performJobs(app)
        #expect(app.state.message?.kind == .error)
        #expect(app.state.message?.text == "group 1 is already linked to \"P1-1.md\" in tickets; unlink it first")

        app.handle(.character("x"))
        performJobs(app)
        #expect(app.state.message?.text == "P1-1: unlinked from \(tickets)/P1-1.md")
        for key in "lP1-1" { app.handle(.character(key)) }
        #expect(app.render().text.contains("tickets issue id: P1-1"))
        app.handle(.enter)
        performJobs(app)
        #expect(app.state.message?.text == "P1-1: linked to \(tickets)/P1-1.md")
        app.handle(.escape)
        grid = app.render()
        #expect(!grid.text.contains("Trackers for"))
        #expect(grid.text.contains("linked      tickets: P1-1.md"), "details list the link")
    }

    @Test func test_withoutTrackersTheKeyExplainsHowToConfigureOne() throws {
        let workspace = try Workspace.forUI(holding: [Workspace.occurrence(1, fingerprint: "a", title: "Checkout is down")])
        let app = try workspace.app()
        app.handle(.character("L"))
        #expect(app.state.message?.text == "no issue trackers configured: add a [plugins.NAME] table to the config")
    }
}
