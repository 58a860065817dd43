import Foundation
import Testing
import TriageTestSupport

/// Payloads shaped like the messages Sentry's consumer tests send, through the real binary: `gen
/// --style sentry` writes them, `ingest` takes every one, `list`, `show` and the TUI show them.
@Suite struct SentryShapedSpoolTests {
    @Test func test_sentryStyledSpoolIsIngestedWholeAndShown() throws {
        let scratch = TemporaryDirectory()
        let spool = scratch.path + "/spool"
        let store = scratch.path + "/store.sqlite"
        try TriageProcess.run(["gen", "--out", spool, "--occurrences", "200", "--groups", "12", "--style", "sentry", "--seed", "4"], home: scratch.path)
        let sample = try String(contentsOfFile: spool + "/gen-000000.jsonl", encoding: .utf8).split(separator: "\n")[0]
        #expect(!sample.contains("\"culprit\"") && !sample.contains("\"level\"") && sample.contains("\"stacktrace\""))
        #expect(sample.range(of: #""detection_time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}""#, options: .regularExpression) != nil,
                "ISO times without a zone, as Python's isoformat writes them")

        let ingest = try TriageProcess.run(["ingest", "--spool", spool, "--store", store, "--json"], home: scratch.path)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let summary = try #require(try TriageProcess.json(ingest.stdout) as? [String: Any])
        #expect(summary["rejected"] as? Int == 0)
        #expect(summary["accepted"] as? Int == 200)

        let list = try TriageProcess.run(["list", "--store", store, "--query", "", "--json"], home: scratch.path)
        let groups = try #require(try TriageProcess.json(list.stdout) as? [[String: Any]])
        #expect(groups.count == summary["groups_created"] as? Int)
        #expect(groups.count >= 6)
        #expect(groups.allSatisfy { $0["culprit"] as? String == "" && $0["level"] as? String == "info" })
        let show = try TriageProcess.run(["show", groups[0]["short_id"] as! String, "--store", store, "--json"], home: scratch.path)
        let latest = try #require((try TriageProcess.json(show.stdout) as? [String: Any])?["latest_occurrence"] as? [String: Any])
        #expect((latest["event"] as? [String: Any])?["stacktrace"] != nil, "stored as received")

        guard TmuxPane.available else { return }
        let pane = try TmuxPane(command: "\(TriageProcess.binary) tui --store \(store)", home: scratch.path)
        let title = try #require(groups.first { ($0["type"] as? String) == "error" }?["title"] as? String)
        let screen = try pane.waitFor { $0.contains(String(title.prefix(30))) }
        #expect(screen.contains(String(title.prefix(30))), "the TUI lists Sentry-shaped groups")
        try pane.send("q")
    }
}
