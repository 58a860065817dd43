import Foundation
import Testing
import TriageTestSupport

/// `triage link`, `unlink`, `trackers`, `metrics` and the metrics endpoint, on the real binary.
@Suite struct IntegrationCommandTests {
    /// A store with groups, a config with a Markdown tracker, and the paths involved.
    private struct Setup {
        let scratch = TemporaryDirectory()
        var store: String { scratch.path + "/store.sqlite" }
        var spool: String { scratch.path + "/spool" }
        var config: String { scratch.path + "/config.toml" }
        var tickets: String { scratch.path + "/tickets" }

        init() throws {
            try "[plugins.tickets]\nkind = \"markdown\"\ndirectory = \"\(scratch.path)/tickets\"\n\n[analytics]\npath = \"\(scratch.path)/analytics.jsonl\"\n"
                .write(toFile: scratch.path + "/config.toml", atomically: true, encoding: .utf8)
            try TriageProcess.run(["gen", "--out", scratch.path + "/spool", "--occurrences", "40", "--groups", "4", "--seed", "5"], home: scratch.path)
        }

        func triage(_ arguments: [String]) throws -> TriageProcess.Result {
            try TriageProcess.run(arguments + ["--store", store, "--config", config], home: scratch.path)
        }
    }

    @Test func test_linkShowUnlinkThroughTheCommandLine() throws {
        let setup = try Setup()
        #expect(try setup.triage(["ingest", "--spool", setup.spool]).status == 0)
        let created = try setup.triage(["link", "1", "--tracker", "tickets", "--create", "--json"])
        #expect(created.status == 0, "\(created.stderr)")
        let link = try #require(try TriageProcess.json(created.stdout) as? [String: Any])
        let file = try #require(link["external_id"] as? String)
        #expect(FileManager.default.fileExists(atPath: setup.tickets + "/" + file))
        #expect(link["linked_by"] as? String == "tester")

        let shown = try #require(try TriageProcess.json(try setup.triage(["show", "1", "--json"]).stdout) as? [String: Any])
        let links = try #require(shown["links"] as? [[String: Any]])
        #expect(links.map { $0["external_id"] as? String } == [file])
        #expect(try setup.triage(["show", "1"]).stdout.contains("linked       tickets: \(setup.tickets)/\(file)"))

        let again = try setup.triage(["link", "1", "--tracker", "tickets", "--create"])
        #expect(again.status == 1)
        #expect(again.stderr == "triage: group 1 is already linked to \"\(file)\" in tickets; unlink it first\n")
        let usage = try setup.triage(["link", "1", "--tracker", "tickets"])
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("Give exactly one of --create and --id ID."))

        let unlinked = try setup.triage(["unlink", "1", "--tracker", "tickets"])
        #expect(unlinked.status == 0)
        #expect(unlinked.stdout.hasSuffix("unlinked from \(setup.tickets)/\(file)\n"))
        let afterUnlink = try #require(try TriageProcess.json(try setup.triage(["show", "1", "--json"]).stdout) as? [String: Any])
        #expect((afterUnlink["links"] as? [Any])?.isEmpty == true)
        let relinked = try setup.triage(["link", "1", "--tracker", "tickets", "--id", file])
        #expect(relinked.status == 0, "linking the existing ticket file: \(relinked.stderr)")

        let analytics = try String(contentsOfFile: setup.scratch.path + "/analytics.jsonl", encoding: .utf8)
        #expect(analytics.components(separatedBy: "\"type\":\"issue_tracker.used\"").count - 1 == 3, "create, unlink, link")
        let trackers = try #require(try TriageProcess.json(try setup.triage(["trackers", "--json"]).stdout) as? [String: Any])
        #expect((trackers["trackers"] as? [[String: Any]])?.first?["plugin"] as? String == "markdown")
        #expect((trackers["plugins"] as? [[String: Any]])?.map { $0["slug"] as? String } == ["markdown", "command", "webhook", "github"])
    }

    @Test func test_metricsCommandPrintsCountersKeptInTheStore() throws {
        let setup = try Setup()
        _ = try setup.triage(["ingest", "--spool", setup.spool])
        _ = try setup.triage(["resolve", "1", "2"])
        let metrics = try setup.triage(["metrics"])
        #expect(metrics.status == 0)
        #expect(metrics.stdout.contains("triage_occurrences_total{outcome=\"accepted\"} 40.0\n"))
        #expect(metrics.stdout.contains("triage_groups_created_total 4.0\n"))
        #expect(metrics.stdout.contains("triage_status_changes_total{cause=\"user\"} 2.0\n"))
        #expect(metrics.stdout.contains("triage_groups{status=\"resolved\"} 2.0\n"))
        let analytics = try String(contentsOfFile: setup.scratch.path + "/analytics.jsonl", encoding: .utf8)
        #expect(analytics.components(separatedBy: "\"type\":\"issue.resolved\"").count - 1 == 2)
    }

    @Test func test_whatTriageWritesIsReadableByItsOwnerOnly() throws {
        let setup = try Setup()
        try TriageProcess.run(["gen", "--out", setup.spool, "--occurrences", "60", "--bad-fraction", "0.2", "--seed", "6", "--format", "json"], home: setup.scratch.path)
        #expect(try setup.triage(["ingest", "--spool", setup.spool]).status == 3)
        let failed = setup.scratch.files(in: "spool/failed").map { "spool/failed/" + $0 }
        #expect(failed.contains { $0.hasSuffix(".error.json") })
        for path in ["store.sqlite", "analytics.jsonl"] + failed.filter({ $0.hasSuffix(".error.json") }) {
            let mode = try FileManager.default.attributesOfItem(atPath: setup.scratch.path + "/" + path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(path) is \(String(mode ?? -1, radix: 8))")
        }
    }

    @Test func test_followServesMetricsOverHTTP() throws {
        let setup = try Setup()
        let process = try TriageProcess.start(["ingest", "--follow", "--metrics-addr", "127.0.0.1:0", "--spool", setup.spool,
                                               "--store", setup.store, "--config", setup.config], home: setup.scratch.path)
        defer {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let stderr = (process.standardError as! Pipe).fileHandleForReading
        var announced = ""
        while !announced.contains("/metrics\n"), let chunk = try stderr.read(upToCount: 1), !chunk.isEmpty {
            announced += String(decoding: chunk, as: UTF8.self)
        }
        let address = try #require(announced.firstMatch(of: /http:\/\/127\.0\.0\.1:\d+\/metrics/)).output
        var body = ""
        for _ in 0..<50 where !body.contains("triage_occurrences_total{outcome=\"accepted\"} 40.0") {
            body = try TriageProcess.shell("python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode())' '\(address)'")
            usleep(100_000)
        }
        #expect(body.contains("triage_occurrences_total{outcome=\"accepted\"} 40.0"))
        #expect(body.contains("triage_groups{status=\"unresolved\"} 4.0"))
        #expect(body.contains("# TYPE triage_ingest_latency_seconds histogram"))
    }
}
