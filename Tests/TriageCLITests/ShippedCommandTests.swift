import Foundation
import GRDB
import Testing
import TriageTestSupport

/// What a user's copy of the binary says about itself.
@Suite struct ShippedCommandTests {
    @Test func test_versionNamesTheStoreSchemaItWrites() throws {
        let scratch = TemporaryDirectory()
        let version = try TriageProcess.run(["--version"], home: scratch.path)
        #expect(version.status == 0)
        let match = try #require(version.stdout.wholeMatch(of: /triage \d+\.\d+\.\d+ \(store schema (v\d+), team store schema v\d+\)\n/))
        // The schema a new store is written with: the newest migration's name.
        let store = scratch.path + "/store.sqlite"
        #expect(try TriageProcess.run(["list", "--store", store], home: scratch.path).status == 0)
        let newest = try DatabaseQueue(path: store).read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") }
            .compactMap { $0.split(separator: ":").first.map(String.init) }
            .max { Int($0.dropFirst())! < Int($1.dropFirst())! }
        #expect(newest == String(match.output.1))
    }

    @Test func test_benchUIIsNotListedInHelpButStillRuns() throws {
        let scratch = TemporaryDirectory()
        let help = try TriageProcess.run(["--help"], home: scratch.path)
        #expect(help.status == 0)
        #expect(help.stdout.contains("ingest"))
        #expect(!help.stdout.contains("bench-ui"))
        let benchHelp = try TriageProcess.run(["bench-ui", "--help"], home: scratch.path)
        #expect(benchHelp.status == 0)
        #expect(benchHelp.stdout.contains("--typing-interval"))
    }

    @Test func test_benchUIFillsItsStoreThroughIngestAndCarriesOnWhereItStopped() throws {
        let scratch = TemporaryDirectory()
        let store = scratch.path + "/bench.sqlite"
        let small = try TriageProcess.run(["bench-ui", "--store", store, "--groups", "30", "--occurrences-per-group", "2"], home: scratch.path)
        #expect(small.status == 0, "\(small.stderr)")
        #expect(small.stdout.hasPrefix("bench-ui: filled \(store) with 30 groups × 2 occurrences"))
        let grown = try TriageProcess.run(["bench-ui", "--store", store, "--groups", "45", "--occurrences-per-group", "2"], home: scratch.path)
        #expect(grown.status == 0, "\(grown.stderr)")
        let listed = try TriageProcess.run(["list", "--store", store, "--query", "", "--json", "--limit", "100"], home: scratch.path)
        let groups = try #require(try TriageProcess.json(listed.stdout) as? [[String: Any]])
        #expect(groups.count == 45)
        #expect(groups.allSatisfy { $0["times_seen"] as? Int == 2 }, "each group's occurrences went through ingest")
        #expect(Set(groups.compactMap { $0["fingerprint"] as? String }) == Set((0..<45).map { "fp-\($0)" }))
        #expect(!FileManager.default.fileExists(atPath: store + ".fill-spool"), "the fill's spool is removed")
        let measured = try TriageProcess.run(["bench-ui", "--store", store, "--groups", "45", "--typing-interval", "0"], home: scratch.path)
        #expect(measured.status == 0, "\(measured.stderr)")
        #expect(measured.stdout.hasPrefix("bench-ui: 45 groups, 90 occurrences; cold start"), "a filled store is measured, its events counted")
    }

    @Test func test_demoFirstSaysWhereItsStoreLivesAndWhatTheDefaultViewLeavesOut() throws {
        let scratch = TemporaryDirectory()
        let demo = scratch.path + "/demo"
        let result = try TriageProcess.run(["demo", "--no-tui", "--dir", demo], home: scratch.path)
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "demo: store \(demo)/triage.sqlite, spool \(demo)/spool; rebuilt on every run (--dir puts them elsewhere)")
        #expect(lines.dropFirst(2).first == "demo: 1 group is not in the view below: feedback is left out of the default search unless a query names it (`triage list --query 'type:feedback'`)")
        let feedback = try TriageProcess.run(["list", "--store", demo + "/triage.sqlite", "--query", "type:feedback", "--plain", "--fields", "type"], home: scratch.path)
        #expect(feedback.stdout == "feedback\n", "the hint's query shows it")
    }
}
