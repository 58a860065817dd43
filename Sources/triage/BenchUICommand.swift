import ArgumentParser
import Foundation
import TriageEngine
import TriageUI

/// Keystroke → rendered grid on a large store, without a terminal: the UI logic and the store are
/// the real ones, only curses (which draws the grid's changed cells) is left out.
struct BenchUICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-ui",
        abstract: "Benchmark the UI on a large store: cold start to first frame, keystroke to rendered grid, peak RSS.",
        discussion: "The first run fills the store with synthetic groups and exits; run it again to measure (scripts/bench-ui does both)."
    )

    @Option(help: "The store to fill and browse.")
    var store: String

    @Option(help: "Groups in the store.")
    var groups = 1_000_000

    func run() throws {
        let present = try SQLiteStore(path: store).countGroups(matching: .all)
        if present < groups {
            let started = Date()
            try SyntheticStore.fill(try SQLiteStore(path: store), groups: groups, now: Date().timeIntervalSince1970)
            print("bench-ui: filled \(store) with \(groups) groups in \(String(format: "%.1f", Date().timeIntervalSince(started))) s; run again to measure")
            return
        }
        // Cold start: opening the store (schema check included) to the first rendered frame.
        let started = Date()
        let app = try TriageApp(store: try SQLiteStore(path: store), width: 120, height: 40)
        _ = app.render()
        let coldStart = Date().timeIntervalSince(started)

        var phases: [(String, [Double])] = []
        var slowest: [(milliseconds: Double, query: String)] = []
        func measure(_ phase: String, _ keys: [Key]) {
            var times: [Double] = []
            for key in keys {
                let keyStarted = DispatchTime.now().uptimeNanoseconds
                app.handle(key)
                _ = app.render()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - keyStarted) / 1e6)
                slowest.append((times.last!, app.state.editor?.text ?? app.state.list.query.source))
            }
            phases.append((phase, times))
        }
        // The line opens holding the current query; clearing it runs each shorter prefix that parses.
        let typed = "type:error level:error"
        measure("open / and clear it", [.character("/")] + Array(repeating: .backspace, count: "is:unresolved".count))
        measure("type the query", typed.map { .character($0) })
        measure("backspace it", Array(repeating: .backspace, count: typed.count))
        measure("apply the empty query", [.enter])
        measure("page down ×20", Array(repeating: .pageDown, count: 20))
        measure("open details, back ×10", Array(repeating: [Key.enter, .escape], count: 10).flatMap { $0 })
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)

        print("bench-ui: \(present) groups; cold start to first frame \(format(coldStart * 1000)) ms; peak RSS \(usage.ru_maxrss / 1024) MB")
        for (phase, times) in phases + [("all keystrokes", phases.flatMap(\.1))] {
            let sorted = times.sorted()
            print("  \(phase.padding(toLength: 24, withPad: " ", startingAt: 0)) n=\(String(sorted.count).padding(toLength: 4, withPad: " ", startingAt: 0)) "
                  + "p50 \(format(sorted[sorted.count / 2])) ms  p99 \(format(sorted[min(sorted.count - 1, sorted.count * 99 / 100)])) ms  max \(format(sorted.last!)) ms")
        }
        for (milliseconds, query) in slowest.sorted(by: { $0.milliseconds > $1.milliseconds }).prefix(3) {
            print("  slowest: \(format(milliseconds)) ms with the query line at \"\(query)\"")
        }
    }

    private func format(_ milliseconds: Double) -> String { String(format: "%.1f", milliseconds) }
}
