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

    @Option(help: "Occurrences of each group, when the store is filled.")
    var occurrencesPerGroup = 5

    @Option(help: "Seconds between typed keys (0.15 is about 80 words a minute); a search past the keystroke budget may use them.")
    var typingInterval = 0.15

    func run() throws {
        let present = try SQLiteStore(path: store).countGroups(matching: .all)
        if present < groups {
            let started = Date()
            try SyntheticStore.fill(try SQLiteStore(path: store), groups: groups, occurrencesPerGroup: occurrencesPerGroup, now: Date().timeIntervalSince1970)
            print("bench-ui: filled \(store) with \(groups) groups × \(occurrencesPerGroup) occurrences in \(String(format: "%.1f", Date().timeIntervalSince(started))) s; run again to measure")
            return
        }
        // Cold start: opening the store (schema check included) to the first rendered frame.
        let started = Date()
        let app = try TriageApp(store: try SQLiteStore(path: store), width: 120, height: 40)
        _ = app.render()
        let coldStart = Date().timeIntervalSince(started)

        var phases: [(String, [Double])] = []
        var slowest: [(milliseconds: Double, query: String)] = []
        // Keys whose search outran the keystroke budget: when their results were on screen, counted
        // from the key, for those that finished before the next key came.
        var completions: [Double] = []
        var superseded = 0
        func measure(_ phase: String, _ keys: [Key]) throws {
            var times: [Double] = []
            for key in keys {
                let keyStarted = DispatchTime.now().uptimeNanoseconds
                app.handle(key)
                _ = app.render()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - keyStarted) / 1e6)
                slowest.append((times.last!, app.state.editor?.text ?? app.state.list.query.source))
                // The user types on: the search may use the time until the next key, as in the TUI.
                guard app.isSearching else { continue }
                let nextKey = keyStarted + UInt64(typingInterval * 1e9)
                if try app.finishSearch(stoppingWhen: { DispatchTime.now().uptimeNanoseconds >= nextKey }) {
                    _ = app.render()
                    completions.append(Double(DispatchTime.now().uptimeNanoseconds - keyStarted) / 1e6)
                } else {
                    superseded += 1
                }
            }
            // The user pauses: whatever is still searching finishes.
            let pauseStarted = DispatchTime.now().uptimeNanoseconds
            if app.isSearching, try app.finishSearch() {
                _ = app.render()
                completions.append(typingInterval * 1000 + Double(DispatchTime.now().uptimeNanoseconds - pauseStarted) / 1e6)
            }
            phases.append((phase, times))
        }
        // The line opens holding the current query; clearing it runs each shorter prefix that parses.
        let typed = "type:error level:error"
        try measure("open / and clear it", [.character("/")] + Array(repeating: .backspace, count: "is:unresolved".count))
        try measure("type the query", typed.map { .character($0) })
        try measure("backspace it", Array(repeating: .backspace, count: typed.count))
        try measure("apply the empty query", [.enter])
        try measure("page down ×20", Array(repeating: .pageDown, count: 20))
        try measure("open details, back ×10", Array(repeating: [Key.enter, .escape], count: 10).flatMap { $0 })
        // The worst needle: two letters (no trigram to look up) that few groups hold, and a pause.
        try measure("type /is and pause", [.character("/"), .character("i"), .character("s")])
        try measure("escape it", [.escape])
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)

        let occurrences = try SyntheticStore.occurrenceCount(try SQLiteStore(path: store))
        print("bench-ui: \(present) groups, \(occurrences) occurrences; cold start to first frame \(format(coldStart * 1000)) ms; peak RSS \(usage.ru_maxrss / 1024) MB")
        for (phase, times) in phases + [("all keystrokes", phases.flatMap(\.1))] {
            let sorted = times.sorted()
            print("  \(phase.padding(toLength: 24, withPad: " ", startingAt: 0)) n=\(String(sorted.count).padding(toLength: 4, withPad: " ", startingAt: 0)) "
                  + "p50 \(format(sorted[sorted.count / 2])) ms  p99 \(format(sorted[min(sorted.count - 1, sorted.count * 99 / 100)])) ms  max \(format(sorted.last!)) ms")
        }
        for (milliseconds, query) in slowest.sorted(by: { $0.milliseconds > $1.milliseconds }).prefix(3) {
            print("  slowest: \(format(milliseconds)) ms with the query line at \"\(query)\"")
        }
        let deferred = completions.count + superseded
        print("  searches past the \(format(TriageApp.defaultKeystrokeBudget * 1000)) ms keystroke budget: \(deferred) of \(slowest.count) keys"
              + (completions.isEmpty ? "" : "; results on screen \(format(completions.min()!))–\(format(completions.max()!)) ms after the key")
              + (superseded == 0 ? "" : "; \(superseded) overtaken by the next key (typed every \(format(typingInterval * 1000)) ms)"))
    }

    private func format(_ milliseconds: Double) -> String { String(format: "%.1f", milliseconds) }
}
