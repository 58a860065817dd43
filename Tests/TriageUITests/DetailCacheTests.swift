import Foundation
import Testing
import TriageEngine
@testable import TriageUI
import TriageTestSupport

/// The details' lines are built once per change of what they show (the group, the occurrence, the
/// width), not once per frame: scrolling and searching reuse them.
@Suite struct DetailCacheTests {
    @Test func test_scrollingReusesTheBuiltLinesAndAChangeRebuildsThem() throws {
        let workspace = try Workspace.forUI()
        let long = (1...400).map { "word\($0)" }.joined(separator: " ")
        let evidence = #"[{"name":"Reason","value":"\#(long)","important":true}]"#
        try workspace.ingest([Workspace.occurrence(1, fingerprint: "a", title: "Cached", evidence: evidence)])
        let app = try workspace.app(width: 80, height: 24)
        app.handle(.enter)
        _ = app.render()
        let built = app.detailLinesCache.builds
        for _ in 0..<30 {
            app.handle(.character("j"))
            _ = app.render()
        }
        app.handle(.character("/"))
        for character in "word399" { app.handle(.character(character)) }
        app.handle(.enter)
        _ = app.render()
        #expect(app.detailLinesCache.builds == built, "scrolling and searching build nothing")
        #expect(app.render().text.contains("word399"))

        try app.resize(width: 100, height: 24)
        _ = app.render()
        #expect(app.detailLinesCache.builds == built + 1, "a new width is a new layout")
        try workspace.ingest([Workspace.occurrence(2, fingerprint: "a", title: "Cached again", evidence: evidence)])
        try app.dataChanged()
        let lines = app.detailLines(try #require(app.state.detail)).map { $0.map(\.text).joined() }
        #expect(lines.contains { $0.contains("events      2") }, "new data shows")
        #expect(app.detailLinesCache.builds > built + 1)

        // What a frame costs with and without the built lines (printed, not asserted: the machine is shared).
        let detail = try #require(app.state.detail)
        let clock = ContinuousClock()
        let cached = clock.measure { for _ in 0..<200 { _ = app.render() } }
        let rebuilt = clock.measure {
            for _ in 0..<200 { _ = DetailView.lines(detail, unicode: true, registry: workspace.store.registry, now: workspace.clock.now(), width: 100) }
        }
        print("details frame: \(cached / 200) with the built lines; building them took \(rebuilt / 200) a frame before")
    }
}
