import Foundation
import Testing
import TriageEngine
@testable import TriageUI
import TriageTestSupport

/// Whole screens as text, compared with the files in `Tests/Screens` (tig's way): a change to any
/// screen shows up as a diff of what a user sees. `TRIAGE_UPDATE_SCREENS=1 swift test --filter
/// GoldenScreenTests` rewrites them, on purpose only.
@Suite struct GoldenScreenTests {
    private static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Screens")
    private static let updating = ProcessInfo.processInfo.environment["TRIAGE_UPDATE_SCREENS"] == "1"

    /// A fixed store and clock: three groups of three types (one with a wide title), one held as noise;
    /// the newest assigned, with a note.
    private func app(width: Int, height: Int) throws -> TriageApp {
        let workspace = try Workspace.forUI(holding: [
            Workspace.occurrence(1, fingerprint: "a", title: "TypeError: cannot read 'id'", time: 1_790_000_550),
            Workspace.occurrence(2, fingerprint: "a", title: "TypeError: cannot read 'id'", time: 1_790_000_560),
            Workspace.occurrence(3, fingerprint: "m", title: "Monitor failure: poll_service", type: 4001, level: "fatal", time: 1_790_000_300),
            Workspace.occurrence(4, fingerprint: "p", title: "支払いゲートウェイ timeout", type: 7001, level: "warning", time: 1_790_000_100),
            Workspace.occurrence(5, fingerprint: "n1", title: "N+1", type: 1006, time: 1_790_000_200),
        ])
        try workspace.store.assign([1], to: "alice", actor: "bob")
        try workspace.store.addNote("handing over to alice: restarted the poller", to: 1, author: "bob")
        let trackers = TrackerActions(store: workspace.store,
                                      trackers: [ConfiguredTracker(name: "tickets", plugin: MarkdownDirectoryTracker(directory: workspace.directory.path + "/tickets"))],
                                      activity: UserActivity(actor: Actor(userID: nil, defaultUserID: "carol")), clock: workspace.clock)
        // Every search finishes within its keystroke, however loaded the machine: a screen, not a race.
        return try TriageApp(store: workspace.store, clock: workspace.clock, width: width, height: height, trackers: trackers, keystrokeBudget: 60)
    }

    /// The screens a user meets, each reached by its keys from the list.
    private static let screens: [(name: String, keys: [Key])] = [
        ("list", []),
        ("details", [.enter]),
        ("help", [.character("?")]),
        ("noise", [.character("N")]),
        ("types", [.character("t")]),
        ("status-panel", [.character("s")]),
        ("assign-prompt", [.character("a"), .tab]),
        ("query-completion", [.character("/"), .character("i"), .character("s"), .character(":"), .character("r"), .character("e")]),
        ("hidden-marks", [.character(" "), .character("/"), .control("u"), .character("M"), .character("o"), .character("n"), .enter, .character("r")]),
        ("status-panel-prompt", [.character("s"), .character("d"), .character("2"), .character("h")]),
        ("tracker-menu", [.character("L")]),
        ("tracker-link", [.character("L"), .character("l"), .character("4"), .character("2")]),
        ("tracker-filing", [.enter, .character("L"), .character("c")]),
        ("resolving", [.character("r")]),
        ("command-completion", [.character(":"), .character("s"), .tab]),
    ]

    /// A box owns the cells it covers and a column either side: nothing of the list (its `▌` mark
    /// column, the `T` of `ST`) shows at its edges.
    @Test(arguments: [(140, 40), (80, 24), (60, 15)])
    func test_overlaysOwnEveryCellAtTheirEdges(size: (width: Int, height: Int)) throws {
        for screen in Self.screens where ["help", "noise", "types", "status-panel", "status-panel-prompt", "tracker-menu", "tracker-link"].contains(screen.name) {
            let app = try app(width: size.width, height: size.height)
            for key in screen.keys { app.handle(key) }
            let grid = app.render()
            let top = try #require(grid.rows(containing: "┌").first, "\(screen.name)")
            let bottom = try #require(grid.rows(containing: "└").last, "\(screen.name)")
            let left = try #require((0..<grid.width).first { grid[$0, top].text == "┌" })
            let right = try #require((0..<grid.width).first { grid[$0, top].text == "┐" })
            for y in top...bottom {
                for x in [left - 1, right + 1] where x >= 0 && x < grid.width {
                    #expect(grid[x, y].text == " ", "\(screen.name) at \(size): '\(grid[x, y].text)' at its edge, row \(y): \(grid.line(y))")
                }
            }
        }
    }

    @Test(arguments: [(140, 40), (80, 24)])
    func test_everyScreenMatchesItsGoldenFile(size: (width: Int, height: Int)) throws {
        for screen in Self.screens {
            let app = try app(width: size.width, height: size.height)
            for key in screen.keys { app.handle(key) }
            let text = app.render().text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { String($0.reversed().drop { $0 == " " }.reversed()) }.joined(separator: "\n") + "\n"
            let file = Self.directory.appendingPathComponent("\(screen.name)-\(size.width)x\(size.height).screen")
            if Self.updating {
                try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
                try text.write(to: file, atomically: true, encoding: .utf8)
                continue
            }
            let golden = try? String(contentsOf: file, encoding: .utf8)
            #expect(golden != nil, "\(file.lastPathComponent) is missing: run with TRIAGE_UPDATE_SCREENS=1 to write it")
            if let golden, golden != text {
                let lines = zip(golden.split(separator: "\n", omittingEmptySubsequences: false), text.split(separator: "\n", omittingEmptySubsequences: false))
                let first = lines.enumerated().first { $0.element.0 != $0.element.1 }
                Issue.record("\(file.lastPathComponent) differs at line \((first?.offset ?? 0) + 1):\n  golden: \(first?.element.0 ?? "")\n  now:    \(first?.element.1 ?? "")")
            }
        }
    }
}
