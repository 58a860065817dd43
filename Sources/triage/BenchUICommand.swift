import ArgumentParser
import Foundation
import TriageBench
import TriageEngine
import TriagePostgres
import TriageUI

/// Keystroke → rendered grid on a large store, without a terminal: the UI logic and the store are
/// the real ones, only curses (which draws the grid's changed cells) is left out.
struct BenchUICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-ui",
        abstract: "Benchmark the UI on a large store: cold start to first frame, keystroke to rendered grid, peak RSS.",
        discussion: "The first run fills the store with synthetic groups and exits; run it again to measure (scripts/bench-ui does both).",
        // A tool for the benchmark scripts, not a user command: runnable, not listed in --help.
        shouldDisplay: false
    )

    @Option(help: "The store to fill and browse: a SQLite file or a team store's postgres:// URL.")
    var store: String

    @Option(help: ArgumentHelp("The TOML configuration file: a team store's password comes from [store] password_env, as for every command.",
                               valueName: "path"))
    var config: String?

    @Option(help: "Groups in the store.")
    var groups = 1_000_000

    @Option(help: "Occurrences of each group, when the store is filled.")
    var occurrencesPerGroup = 5

    @Option(help: "Seconds between typed keys (0.15 is about 80 words a minute); a search past the keystroke budget may use them.")
    var typingInterval = 0.15

    @Option(help: ArgumentHelp("Ingest this spool in the same process while typing, as `tui --follow` does: keys come at the typing interval, and the script repeats until the spool is empty.",
                               valueName: "spool"))
    var follow: String?

    @Option(help: ArgumentHelp("With --follow: the ingest's memory budget, interactive (as the TUI) or throughput (as `triage ingest`).",
                               valueName: "budget"))
    var ingestMemory = "interactive"

    @Option(help: ArgumentHelp("With --follow: the nice increment of the ingest's threads (the TUI's is 10; 0 runs them at the UI's priority).",
                               valueName: "n"))
    var ingestNice: Int32 = IngestPriority.belowInteractive.niceIncrement

    func validate() throws {
        if !["interactive", "throughput"].contains(ingestMemory) { throw ValidationError("--ingest-memory is interactive or throughput.") }
        if !(0...19).contains(ingestNice) { throw ValidationError("--ingest-nice is 0 to 19.") }
    }

    func run() throws {
        let team = PostgresLocation.isURL(store) ? try PostgresLocation(parsing: store) : nil
        if team != nil, follow != nil { throw ValidationError("--follow ingests into a SQLite store; a team store's ingesters are separate processes.") }
        let present = try open(team).countGroups(matching: .all)
        if present < groups {
            let started = Date()
            try fill(team)
            print("bench-ui: filled \(store) with \(groups) groups × \(occurrencesPerGroup) occurrences in \(String(format: "%.1f", Date().timeIntervalSince(started))) s; run again to measure")
            return
        }
        // Cold start: opening the store (connecting and the schema check included) to the first rendered frame.
        let started = Date()
        let opened = try open(team)
        let app = try TriageApp(store: opened, width: 120, height: 40)
        _ = app.render()
        let coldStart = Date().timeIntervalSince(started)
        if let follow, let local = opened as? SQLiteStore { return try measureWhileFollowing(follow, app: app, store: local) }

        var phases: [(String, [Double])] = []
        var slowest: [(milliseconds: Double, query: String)] = []
        // Every key that changed the query: when its results were on screen, counted from the key
        // (its frame, when they came within it). A key the next one overtook counts the typing
        // interval, the least it could have taken.
        var results: [(milliseconds: Double, query: String)] = []
        var deferred = 0
        var overtaken = 0
        func measure(_ phase: String, _ keys: [Key]) throws {
            var times: [Double] = []
            for (index, key) in keys.enumerated() {
                let query = app.state.list.query.source
                let keyStarted = DispatchTime.now().uptimeNanoseconds
                app.handle(key)
                _ = app.render()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - keyStarted) / 1e6)
                let line = app.state.editor?.text ?? app.state.list.query.source
                slowest.append((times.last!, line))
                guard app.isSearching || app.state.list.query.source != query else { continue }
                guard app.isSearching else {
                    results.append((times.last!, line))
                    continue
                }
                deferred += 1
                // The user types on: the search may use the time until the next key, as in the TUI;
                // after a phase's last key the user pauses and it finishes.
                let nextKey = index == keys.count - 1 ? UInt64.max : keyStarted + UInt64(typingInterval * 1e9)
                if try app.finishSearch(stoppingWhen: { DispatchTime.now().uptimeNanoseconds >= nextKey }) {
                    _ = app.render()
                    results.append((Double(DispatchTime.now().uptimeNanoseconds - keyStarted) / 1e6, line))
                } else {
                    overtaken += 1
                    results.append((typingInterval * 1000, line))
                }
            }
            phases.append((phase, times))
        }
        for (phase, keys) in Self.script { try measure(phase, keys) }
        // The worst needle: two letters (no trigram to look up), held back while they may become
        // `is:`, searched as text on Enter, then a pause.
        try measure("type /is ⏎ and pause", [.character("/"), .character("i"), .character("s"), .enter])
        try measure("clear it", [.character("/"), .control("u"), .enter])
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)

        let occurrences = try SyntheticStore.occurrenceCount(opened)
        print("bench-ui: \(present) groups, \(occurrences) occurrences; cold start to first frame \(format(coldStart * 1000)) ms; peak RSS \(usage.ru_maxrss / 1024) MB")
        for (phase, times) in phases + [("all keystrokes", phases.flatMap(\.1))] { printLatencies(phase, times) }
        for (milliseconds, query) in slowest.sorted(by: { $0.milliseconds > $1.milliseconds }).prefix(3) {
            print("  slowest: \(format(milliseconds)) ms with the query line at \"\(query)\"")
        }
        if !results.isEmpty { printLatencies("results on screen", results.map(\.milliseconds)) }
        for (milliseconds, query) in results.sorted(by: { $0.milliseconds > $1.milliseconds }).prefix(3) {
            print("  slowest results: \(format(milliseconds)) ms after the key with the query line at \"\(query)\"")
        }
        print("  searches past the \(format(TriageApp.defaultKeystrokeBudget * 1000)) ms keystroke budget: \(deferred) of \(results.count) keys that changed the query"
              + (overtaken == 0 ? "" : "; \(overtaken) overtaken by the next key (typed every \(format(typingInterval * 1000)) ms)"))
    }

    /// The store `--store` names: a SQLite file, or the team store at a postgres:// URL.
    private func open(_ team: PostgresLocation?) throws -> any IssueStore {
        guard let team else { return try SQLiteStore(path: store) }
        return try PostgresStore(session: try StoreTarget.connect(team, config: try Locations.loadConfig(named: config)))
    }

    /// Fills the store through its own backend's ingest, as producers would.
    private func fill(_ team: PostgresLocation?) throws {
        let now = Date().timeIntervalSince1970
        guard let team else {
            return try SyntheticStore.fill(try SQLiteStore(path: store), groups: groups, occurrencesPerGroup: occurrencesPerGroup, now: now)
        }
        let settings = try Locations.loadConfig(named: config)
        let spoolPath = NSTemporaryDirectory() + "/triage-bench-ui-fill-\(getpid())"
        try SyntheticStore.fill(try open(team), spoolPath: spoolPath, groups: groups, occurrencesPerGroup: occurrencesPerGroup, now: now) { spool, logger in
            let ingest = PostgresIngestStore(spool: spool, registry: .builtIn, settings: EngineSettings()) {
                try StoreTarget.connect(team, config: settings)
            }
            return try SpoolIngestor(ingestingInto: ingest, spool: spool, limits: .default, logger: logger, batchRows: 10_000, notifications: nil,
                                     analytics: .disabled, metrics: nil, longestTransaction: 1, memory: .throughput, priority: .normal)
        }
    }

    private func format(_ milliseconds: Double) -> String { String(format: "%.1f", milliseconds) }

    private func printLatencies(_ label: String, _ times: [Double]) {
        let sorted = times.sorted()
        print("  \(label.padding(toLength: 24, withPad: " ", startingAt: 0)) n=\(String(sorted.count).padding(toLength: 4, withPad: " ", startingAt: 0)) "
              + "p50 \(format(sorted[sorted.count / 2])) ms  p99 \(format(sorted[min(sorted.count - 1, sorted.count * 99 / 100)])) ms  max \(format(sorted.last!)) ms")
    }

    /// The scripted session, by phase: the line opens holding the current query and a space, and
    /// `Ctrl-U` clears it.
    private static let script: [(phase: String, keys: [Key])] = {
        let typed = "type:error level:error"
        return [
            ("open / and clear it", [.character("/"), .control("u")]),
            ("type the query", typed.map { .character($0) }),
            ("backspace it", Array(repeating: .backspace, count: typed.count)),
            ("apply the empty query", [.enter]),
            ("page down ×20", Array(repeating: .pageDown, count: 20)),
            ("open details, back ×10", Array(repeating: [Key.enter, .escape], count: 10).flatMap { $0 }),
        ]
    }()

    /// The worst minute of an incident: a flood lands while the engineer types. Keys come at the
    /// typing interval and each is timed from when it was typed, so a key that waits behind a data
    /// refresh counts the wait; the data refreshes as in `tui --follow` (after each pass, and every
    /// second) and is timed too.
    private func measureWhileFollowing(_ spoolPath: String, app: TriageApp, store: SQLiteStore) throws {
        let follower = try SpoolFollower(spoolPath: spoolPath)
        let flood = FloodProgress(files: try FileManager.default.contentsOfDirectory(atPath: spoolPath)
            .filter { [".json", ".jsonl", ".ndjson"].contains(where: $0.hasSuffix) }.count)
        let started = Date()
        FollowThread.start(follower, store: store, spoolPath: spoolPath, limits: .default, courier: nil,
                           activity: UserActivity(actor: .current(environment: [:])),
                           memory: ingestMemory == "throughput" ? .throughput : .interactive,
                           priority: IngestPriority(niceIncrement: ingestNice),
                           onPass: { flood.add($0) }, onNotice: { flood.end($0) })
        let script = Self.script.flatMap(\.keys)
        // Keys typed while the flood was being ingested, and after it.
        var keys: [Double] = []
        var keysAfter: [Double] = []
        var refreshes: [Double] = []
        // Where the slowest flood keys' time went: before the key was handled (a late wake-up, or a
        // refresh or search running past the key's time), and handling it.
        var slowest: [(milliseconds: Double, waited: Double, query: String)] = []
        var lastRefresh = DispatchTime.now().uptimeNanoseconds
        var next = lastRefresh
        let interval = UInt64(typingInterval * 1e9)
        // The first round of the script starts with the flood; rounds repeat until the spool is empty.
        repeat {
            for key in script {
                // Asleep until the key is due, woken by a pass, as the run loop sleeps in poll(2).
                while DispatchTime.now().uptimeNanoseconds < next {
                    if flood.waitForChange(until: min(next, lastRefresh + 1_000_000_000))
                        || DispatchTime.now().uptimeNanoseconds - lastRefresh >= 1_000_000_000 {
                        let refreshStarted = DispatchTime.now().uptimeNanoseconds
                        // As the run loop does: the re-read gives way to a key, and cut short
                        // finishes until the next one.
                        let nextKey = next
                        try app.dataChanged(givingWayWhen: { DispatchTime.now().uptimeNanoseconds >= nextKey })
                        _ = app.render()
                        lastRefresh = DispatchTime.now().uptimeNanoseconds
                        refreshes.append(Double(lastRefresh - refreshStarted) / 1e6)
                        if app.isSearching, try app.finishSearch(stoppingWhen: { DispatchTime.now().uptimeNanoseconds >= nextKey }) { _ = app.render() }
                    }
                }
                let flooding = !flood.isDone
                let handled = DispatchTime.now().uptimeNanoseconds
                app.handle(key)
                _ = app.render()
                let latency = Double(DispatchTime.now().uptimeNanoseconds - next) / 1e6
                if flooding {
                    keys.append(latency)
                    slowest.append((latency, Double(handled - next) / 1e6, app.state.editor?.text ?? app.state.list.query.source))
                } else {
                    keysAfter.append(latency)
                }
                // As in the TUI, a search past the keystroke budget goes on until the next key.
                let nextKey = next + interval
                if app.isSearching, try app.finishSearch(stoppingWhen: { DispatchTime.now().uptimeNanoseconds >= nextKey }) { _ = app.render() }
                next += interval
            }
        } while !flood.isDone
        let seconds = Date().timeIntervalSince(started)
        follower.stop()
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let ingested = flood.total
        print("bench-ui --follow: \(ingested.accepted) occurrences in \(ingested.files) files ingested in \(String(format: "%.1f", ingested.seconds)) s "
              + "(\(Int(Double(ingested.accepted) / max(ingested.seconds, 0.001))) occurrences/s) while keys were typed (\(keys.count + keysAfter.count) over \(String(format: "%.1f", seconds)) s); "
              + "peak RSS \(usage.ru_maxrss / 1024) MB\(flood.ending.map { "; following ended: \($0)" } ?? "")")
        for (label, times) in [("keys during the flood", keys), ("keys after it", keysAfter), ("data refreshes", refreshes)] where !times.isEmpty {
            printLatencies(label, times)
        }
        for key in slowest.sorted(by: { $0.milliseconds > $1.milliseconds }).prefix(3) {
            print("  slowest during the flood: \(format(key.milliseconds)) ms (\(format(key.waited)) before it was handled) "
                  + "with the query line at \"\(key.query)\"")
        }
    }
}

/// What the follower thread has ingested, for `bench-ui --follow`.
private final class FloodProgress: @unchecked Sendable {
    private let lock = NSCondition()
    private var report = IngestReport()
    private var changed = false
    private var stopped: String?
    /// The files in the spool when it began: once they are ingested, the flood is over.
    private let files: Int

    init(files: Int) { self.files = files }

    func add(_ pass: IngestReport) {
        lock.withLock {
            report.add(pass)
            if pass.files > 0 {
                changed = true
                lock.signal()
            }
        }
    }

    func end(_ notice: FollowThread.Notice) { lock.withLock { stopped = "\(notice)" } }

    /// Whether a pass brought files before `deadline` (an uptime in nanoseconds); clears the news.
    func waitForChange(until deadline: UInt64) -> Bool {
        lock.withLock {
            while !changed {
                let now = DispatchTime.now().uptimeNanoseconds
                guard now < deadline, lock.wait(until: Date(timeIntervalSinceNow: Double(deadline - now) / 1e9)) else { break }
            }
            defer { changed = false }
            return changed
        }
    }

    var isDone: Bool { lock.withLock { report.files >= files || stopped != nil } }
    var total: IngestReport { lock.withLock { report } }
    var ending: String? { lock.withLock { stopped } }
}
