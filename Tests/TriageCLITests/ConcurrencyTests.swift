import Foundation
import Testing
import TriageTestSupport

/// The TUI, `ingest --follow` and CLI status changes on one store at once, at full ingest rate.
@Suite(.serialized) struct ConcurrencyTests {
    /// Status changes made from a second thread while the main thread types into the TUI.
    private final class Changer: @unchecked Sendable {
        private let lock = NSLock()
        private var made = 0
        private var problems: [String] = []
        private var stop = false

        var results: (made: Int, problems: [String]) { lock.withLock { (made, problems) } }
        func finish() { lock.withLock { stop = true } }

        func run(store: String, home: String) {
            let actions = [["resolve"], ["ignore", "--count", "5"], ["unresolve"], ["resolve"], ["ignore", "--forever"]]
            var index = 0
            while !lock.withLock({ stop }) {
                guard let listed = try? TriageProcess.run(["list", "--store", store, "--query", "", "--json", "--fields", "id", "--limit", "40"], home: home),
                      let ids = (try? TriageProcess.json(listed.stdout) as? [[String: Any]])?.compactMap({ $0["id"] as? Int }),
                      let id = ids.randomElement() else { continue }
                guard let result = try? TriageProcess.run(actions[index % actions.count] + [String(id), "--store", store], home: home) else { continue }
                index += 1
                lock.withLock {
                    made += 1
                    // An illegal transition (reopening a group a regression already reopened) is a
                    // legitimate answer; a locked or failed store is not.
                    if result.status != 0, !result.stderr.contains("cannot") || result.stderr.contains("locked") { problems.append(result.stderr) }
                }
            }
        }
    }

    @Test(.enabled(if: TmuxPane.available)) func test_uiIngestAndStatusChangesShareTheStore() throws {
        let scratch = TemporaryDirectory()
        let spool = scratch.path + "/spool"
        let store = scratch.path + "/store.sqlite"
        let total = 60_000
        try TriageProcess.run(["gen", "--out", spool, "--occurrences", String(total), "--groups", "300", "--per-file", "500", "--seed", "21"],
                              home: scratch.path)
        #expect(try TriageProcess.run(["list", "--store", store], home: scratch.path).status == 0)
        let ingest = try TriageProcess.start(["ingest", "--follow", "--spool", spool, "--store", store, "--batch-rows", "200"],
                                             home: scratch.path, quietOutput: true)
        defer {
            if ingest.isRunning { kill(ingest.processIdentifier, SIGKILL) }
            ingest.waitUntilExit()
        }
        let pane = try TmuxPane(command: "\(TriageProcess.binary) tui --store \(store) --query ''", home: scratch.path)
        _ = try pane.waitFor { $0.contains("issues") }
        let changer = Changer()
        let home = scratch.path
        let changing = Thread { changer.run(store: store, home: home) }
        changing.start()

        var keys = 0
        var latencies: [Double] = []
        func ingesting() throws -> Bool { try FileManager.default.contentsOfDirectory(atPath: spool).contains { $0.hasSuffix(".jsonl") } }
        while try ingesting() || changer.results.made < 10 {
            // A keystroke in the TUI: time until the screen shows it.
            let before = try pane.screen()
            let started = Date()
            try pane.send(keys % 2 == 0 ? "j" : "k")
            _ = try pane.waitFor(settled: false) { $0 != before }
            latencies.append(Date().timeIntervalSince(started))
            keys += 1
            if keys > 2000 { break }
        }
        changer.finish()
        while !changing.isFinished { Thread.sleep(forTimeInterval: 0.05) }
        kill(ingest.processIdentifier, SIGTERM)
        ingest.waitUntilExit()
        let (changes, problems) = changer.results
        let sorted = latencies.sorted()
        let slowestKey = sorted.last ?? 0
        print("concurrency: \(changes) status changes and \(keys) keystrokes during the ingest of \(total) occurrences; key → screen "
              + "p50 \(Int(sorted[sorted.count / 2] * 1000)) ms, p99 \(Int(sorted[sorted.count * 99 / 100] * 1000)) ms, max \(Int(slowestKey * 1000)) ms")
        #expect(problems.isEmpty, "\(problems.prefix(3))")
        #expect(changes >= 10)
        #expect(slowestKey < 2, "the UI kept answering keys (slowest \(slowestKey) s)")

        // Nothing lost: every occurrence is in the store once.
        let groups = try #require(try TriageProcess.json(try TriageProcess.run(["list", "--store", store, "--query", "", "--json"], home: scratch.path).stdout) as? [[String: Any]])
        let noise = try #require(try TriageProcess.json(try TriageProcess.run(["list", "--noise", "--json", "--store", store], home: scratch.path).stdout) as? [[String: Any]])
        #expect(groups.reduce(0) { $0 + ($1["times_seen"] as! Int) } + noise.reduce(0) { $0 + ($1["held"] as! Int) } == total)
        // No lost update: each group is in the state its last recorded transition left it in.
        for group in groups {
            let shown = try #require(try TriageProcess.json(try TriageProcess.run(["show", String(group["id"] as! Int), "--json", "--store", store],
                                                                                  home: scratch.path).stdout) as? [String: Any])
            let last = try #require((shown["history"] as? [[String: Any]])?.last)
            #expect(last["to_status"] as? String == group["status"] as? String, "group \(group["id"]!)")
            #expect(last["to_substatus"] as? String == group["substatus"] as? String, "group \(group["id"]!)")
        }
    }
}
