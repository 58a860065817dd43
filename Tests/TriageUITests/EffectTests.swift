import TriageTestSupport
import Foundation
import Testing
import TriageEngine
@testable import TriageUI

/// Store writes are effects: a key shows the write's target state at once and hands the write to
/// the runner; its result comes back as an action that reports, reconciles or restores.
@Suite struct EffectTests {
    /// Errors A and B, newest first.
    private func workspace() throws -> Workspace {
        try Workspace.errorsAAndB()
    }

    private func jobs(_ effects: [Effect]) -> [BackgroundJob] {
        effects.compactMap { effect in
            if case let .perform(job) = effect { return job }
            return nil
        }
    }

    @Test func test_resolveEmitsAStoreWriteAndShowsItsTargetStateAtOnce() throws {
        let workspace = try workspace()
        let app = try workspace.app()
        app.handle(.character("r"))
        let emitted = jobs(app.takeEffects())
        #expect(emitted.map(\.label) == ["resolving…"])
        #expect(emitted.map(\.lane) == [.store])
        #expect(try workspace.store.group("1").state == .new, "the write is the runner's to make")
        #expect(app.render().line(2).hasSuffix("✓ "), "the row shows the target state at once")
        #expect(app.render().line(0).contains("resolving…"), "working, said in the header: \(app.render().line(0))")
        app.handle(.character("j"))
        #expect(app.state.list.selectedGroup?.title == "Error B", "keys are served meanwhile")
        try app.dataChanged()
        #expect(app.render().line(2).hasSuffix("✓ "), "a re-read meanwhile keeps the write's target state")

        let job = try #require(emitted.first)
        app.dispatch(.finished(jobID: job.id, job.work()))
        #expect(app.takeEffects().isEmpty)
        #expect(app.state.message?.text == "P1-1: unresolved/new → resolved")
        #expect(try workspace.store.group("1").state == .resolved)
        #expect(app.state.pendingStates.isEmpty)
        #expect(!app.render().line(0).contains("resolving…"))
        #expect(app.render().line(2).contains("Error B"), "reconciled with the store: the resolved group left is:unresolved")
    }

    @Test func test_writesRunOneAtATimeInOrderAndUndoTakesBackWhatLandedBeforeIt() throws {
        let workspace = try workspace()
        let app = try workspace.app()
        app.handle(.character("r"))
        app.handle(.character("j"))
        app.handle(.character("r"))
        app.handle(.character("u"))
        let first = jobs(app.takeEffects())
        #expect(first.map(\.label) == ["resolving…"], "one write under way; the others wait their turn")
        #expect(app.state.pendingStates.keys.sorted() == [1, 2], "both resolves show at once")
        #expect(app.hasPendingWrites)
        app.state.effects += first.map { .perform($0) }
        let performed = performJobs(app)
        #expect(performed.map(\.label) == ["resolving…", "resolving…", "undoing…"])
        #expect(!app.hasPendingWrites)
        #expect(try workspace.store.group("1").state == .resolved)
        #expect(try workspace.store.group("2").state == .new, "the undo took back the resolve just before it")
        #expect(app.state.message?.text == "undone: P1-2 back to unresolved/new · 1 more to undo")
    }

    @Test func test_aFailedWriteSaysSoRestoresTheScreenAndKeepsTheMarks() throws {
        let workspace = try workspace()
        let readOnly = try SQLiteStore(readingOnly: workspace.directory.path + "/store.sqlite", clock: workspace.clock)
        let app = try TriageApp(store: readOnly, clock: workspace.clock, width: 100, height: 20)
        app.handle(.character(" "))
        app.handle(.character(" "))
        app.handle(.character("r"))
        #expect(app.render().line(2).hasSuffix("✓ ") && app.render().line(3).hasSuffix("✓ "))
        performJobs(app)
        let message = try #require(app.state.message)
        #expect(message.kind == .error)
        #expect(message.text.hasPrefix("resolving failed: the store is read-only"), "\(message.text)")
        #expect(message.text.hasSuffix("nothing was changed"))
        #expect(app.render().line(2).hasSuffix("N "), "restored: \(app.render().line(2))")
        #expect(app.render().line(3).hasSuffix("N "))
        #expect(app.state.list.marked.count == 2, "the marks stay for another try")
        app.handle(.character("u"))
        performJobs(app)
        #expect(app.state.message?.text == "nothing to undo", "a failed write leaves nothing to undo")
    }

    @Test func test_detailsShowTheTargetStateWhileTheWriteIsUnderWay() throws {
        let workspace = try workspace()
        let app = try workspace.app(height: 30)
        app.handle(.enter)
        app.handle(.character("r"))
        #expect(app.render().text.contains("status      resolved"))
        #expect(app.render().line(0).contains("resolving…"))
        performJobs(app)
        #expect(app.render().text.contains("status      resolved"))
        #expect(app.state.detail?.pendingState == nil)
        #expect(app.state.message?.text == "P1-1: unresolved/new → resolved")
    }

    @Test func test_priorityIsAWriteToo() throws {
        let workspace = try workspace()
        let app = try workspace.app()
        app.handle(.character(":"))
        for character in "priority low" { app.handle(.character(character)) }
        app.handle(.enter)
        #expect(try workspace.store.group("1").priorityLocked == false)
        #expect(performJobs(app).map(\.label) == ["setting priority…"])
        #expect(try workspace.store.group("1").priority == 25)
        #expect(app.state.message?.text == "P1-1: priority low")
    }
}
