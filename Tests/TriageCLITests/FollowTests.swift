import Foundation
import Testing
import TriageTestSupport

/// `ingest --follow` on the real binary: files renamed into a live spool are ingested without a
/// restart, and an interrupt ends it with the summary.
@Suite struct FollowTests {
    private func occurrence(_ id: Int, fingerprint: String) -> String {
        PayloadBuilder.bare(id: id, fingerprint: fingerprint, title: "Live \(fingerprint)").json
    }

    private func titles(store: String, home: String) throws -> [String] {
        let result = try TriageProcess.run(["list", "--store", store, "--query", "", "--plain", "--fields", "title"], home: home)
        return result.stdout.split(separator: "\n").map(String.init).sorted()
    }

    private func waitFor(_ expected: [String], store: String, home: String) throws -> [String] {
        var seen: [String] = []
        for _ in 0..<100 {
            seen = try titles(store: store, home: home)
            if seen == expected { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return seen
    }

    @Test func test_followIngestsFilesAsTheyLandAndStopsOnInterrupt() throws {
        let scratch = TemporaryDirectory()
        let spool = scratch.path + "/spool"
        let store = scratch.path + "/store.sqlite"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        try dropIntoSpool(occurrence(1, fingerprint: "before"), as: "1.json", into: spool)
        let follower = try TriageProcess.start(["ingest", "--follow", "--json", "--spool", spool, "--store", store], home: scratch.path)
        #expect(try waitFor(["Live before"], store: store, home: scratch.path) == ["Live before"])

        try dropIntoSpool(occurrence(2, fingerprint: "during") + "\n" + occurrence(3, fingerprint: "during"), as: "2.jsonl", into: spool)
        #expect(try waitFor(["Live before", "Live during"], store: store, home: scratch.path) == ["Live before", "Live during"])
        #expect(scratch.files(in: "spool/processed") == ["1.json", "2.jsonl"])

        let busy = try TriageProcess.run(["ingest", "--spool", spool, "--store", store], home: scratch.path)
        #expect(busy.status == 1, "a second ingester is refused while one follows")
        #expect(busy.stderr.contains("another triage process is ingesting the spool"))

        kill(follower.processIdentifier, SIGINT)
        let output = (follower.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile()
        follower.waitUntilExit()
        #expect(follower.terminationReason == .exit)
        #expect(follower.terminationStatus == 0)
        let summary = try #require(try TriageProcess.json(String(decoding: output, as: UTF8.self)) as? [String: Any])
        #expect(summary["accepted"] as? Int == 3)
        #expect(summary["files"] as? Int == 2)
    }

    @Test(.enabled(if: TmuxPane.available)) func test_aTUIWaitingOnAnotherIngesterTakesTheSpoolOverWhenThatOneIsKilled() throws {
        let scratch = TemporaryDirectory()
        let spool = scratch.path + "/spool"
        let store = scratch.path + "/store.sqlite"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        try dropIntoSpool(occurrence(1, fingerprint: "before"), as: "1.json", into: spool)
        let follower = try TriageProcess.start(["ingest", "--follow", "--spool", spool, "--store", store], home: scratch.path)
        #expect(try waitFor(["Live before"], store: store, home: scratch.path) == ["Live before"])

        let pane = try TmuxPane(command: "\(TriageProcess.binary) tui --store \(store) --spool \(spool)", home: scratch.path)
        _ = try pane.waitFor { $0.contains("another triage process is ingesting this spool") }
        kill(follower.processIdentifier, SIGKILL)
        follower.waitUntilExit()
        try dropIntoSpool(occurrence(2, fingerprint: "after"), as: "2.json", into: spool)
        let screen = try pane.waitFor { $0.contains("Live after") }
        #expect(screen.contains("Live after"), "the TUI ingests the spool once the other ingester is gone")
        #expect(scratch.files(in: "spool/processed") == ["1.json", "2.json"])
        try pane.send("q")
    }
}
