import Foundation
import GRDB
import Testing
@testable import TriageEngine
import TriageTestSupport

/// Kills a real `triage ingest` and checks that the store ends exactly as an uninterrupted run's.
///
/// The size is set by the environment: the default (12,600 occurrences, at least 5 kills) runs with
/// every `scripts/test`; the full soak of issue 8 is
/// `TRIAGE_SOAK_OCCURRENCES=100000 TRIAGE_SOAK_KILLS=30 swift test --filter CrashSafetyTests`.
@Suite(.serialized) struct CrashSafetyTests {
    private static let environment = ProcessInfo.processInfo.environment
    static let occurrences = environment["TRIAGE_SOAK_OCCURRENCES"].flatMap(Int.init) ?? 12_000
    static let minimumKills = environment["TRIAGE_SOAK_KILLS"].flatMap(Int.init) ?? 5

    /// A mixed spool: JSON-lines files and single-payload files, 1% broken, with duplicates across files.
    private func makeSpool(_ scratch: TemporaryDirectory, name: String) throws -> String {
        let spool = scratch.path + "/" + name
        try TriageProcess.run(["gen", "--out", spool, "--occurrences", String(Self.occurrences), "--groups", String(Self.occurrences / 15), "--per-file", "200",
                               "--bad-fraction", "0.01", "--seed", "11"], home: scratch.path)
        try TriageProcess.run(["gen", "--out", spool + "/singles", "--occurrences", "600", "--groups", "800", "--format", "json",
                               "--bad-fraction", "0.01", "--seed", "12"], home: scratch.path)
        // Singles sort after the gen-*.jsonl files; one of them repeats an id from a JSON-lines file.
        for file in try FileManager.default.contentsOfDirectory(atPath: spool + "/singles") {
            try FileManager.default.moveItem(atPath: spool + "/singles/" + file, toPath: spool + "/single-" + file)
        }
        try FileManager.default.removeItem(atPath: spool + "/singles")
        let firstLine = try Data(contentsOf: URL(fileURLWithPath: spool + "/gen-000000.jsonl")).split(separator: 0x0A)[0]
        try Data(firstLine).write(to: URL(fileURLWithPath: spool + "/zz-duplicate.json"))
        return spool
    }

    /// What must be identical: every group's counters, times and state, the stored occurrences, and
    /// what ended up in processed/ and failed/ (sidecars included, byte for byte).
    private func fingerprint(of store: String, spool: String, home: String) throws -> [String] {
        // Lifecycle rules are time-based (the generated occurrences are weeks old, so their groups turn
        // ongoing when the rules next run), and a restarted run applies them to groups an earlier run
        // created. Bring both stores to the rules' state as of now before comparing.
        try SQLiteStore(path: store).applyRules()
        let list = try TriageProcess.run(["list", "--store", store, "--query", "", "--json", "--sort", "events",
                                          "--fields", "project_id,fingerprint,type,title,level,status,substatus,first_seen,last_seen,times_seen"], home: home)
        let groups = try #require(try TriageProcess.json(list.stdout) as? [[String: Any]])
        var lines = groups.map { group in group.keys.sorted().map { "\($0)=\(group[$0]!)" }.joined(separator: " ") }.sorted()
        let opened = try SQLiteStore(path: store)
        lines.append(try opened.read { db in
            let stored = try Int.fetchOne(db, sql: "SELECT count(*) FROM occurrences") ?? -1
            let held = try Int.fetchOne(db, sql: "SELECT count(*) FROM occurrences WHERE group_id IS NULL") ?? -1
            return "occurrences stored: \(stored), held as noise: \(held)"
        })
        let failed = try FileManager.default.contentsOfDirectory(atPath: spool + "/failed").sorted()
        lines.append("failed: " + failed.joined(separator: ","))
        for file in failed {
            // Bad lines are kept byte for byte, invalid UTF-8 included: compare bytes, not text.
            lines.append(file + ": " + (try Data(contentsOf: URL(fileURLWithPath: spool + "/failed/" + file)).base64EncodedString()))
        }
        lines.append("processed: " + (try FileManager.default.contentsOfDirectory(atPath: spool + "/processed").sorted().joined(separator: ",")))
        lines.append("left in spool: " + (try FileManager.default.contentsOfDirectory(atPath: spool).filter { !$0.hasPrefix(".") }.sorted().joined(separator: ",")))
        return lines
    }

    private func referenceRun(_ scratch: TemporaryDirectory) throws -> [String] {
        let spool = try makeSpool(scratch, name: "reference")
        let result = try TriageProcess.run(["ingest", "--spool", spool, "--store", scratch.path + "/reference.sqlite", "--json"], home: scratch.path)
        #expect(result.status == 3)
        return try fingerprint(of: scratch.path + "/reference.sqlite", spool: spool, home: scratch.path)
    }

    @Test func test_sigkillAtRandomMomentsLosesAndDoublesNothing() throws {
        let scratch = TemporaryDirectory()
        let expected = try referenceRun(scratch)
        let spool = try makeSpool(scratch, name: "victim")
        let store = scratch.path + "/victim.sqlite"
        var random = SystemRandomNumberGenerator()
        var kills = 0
        var finished = false
        for attempt in 0..<(Self.minimumKills * 4 + 40) where !finished {
            let process = try TriageProcess.start(["ingest", "--spool", spool, "--store", store, "--batch-rows", "300"],
                                                  home: scratch.path, quietOutput: true)
            // Early attempts die almost at once (during open and migration); later ones run longer.
            // Until the minimum number of kills, short lives, so the run cannot finish first.
            let longest = kills < Self.minimumKills ? 0.25 : 0.5
            let delay = attempt < 3 ? Double(attempt) * 0.02 : Double.random(in: 0.05...longest, using: &random)
            Thread.sleep(forTimeInterval: delay)
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                kills += 1
            }
            process.waitUntilExit()
            finished = process.terminationReason == .exit && [0, 3].contains(process.terminationStatus)
        }
        if !finished {
            let last = try TriageProcess.run(["ingest", "--spool", spool, "--store", store], home: scratch.path)
            #expect([0, 3].contains(last.status))
        }
        #expect(kills >= Self.minimumKills, "the run must actually have been interrupted")
        print("crash soak: \(Self.occurrences + 601) occurrences, \(kills) SIGKILLs, store identical to the uninterrupted run's")
        let actual = try fingerprint(of: store, spool: spool, home: scratch.path)
        #expect(actual.count == expected.count)
        for (got, want) in zip(actual, expected) where got != want {
            #expect(got == want)
            break
        }
    }

    @Test func test_sigtermStopsCleanlyAndARerunFinishes() throws {
        let scratch = TemporaryDirectory()
        let expected = try referenceRun(scratch)
        let spool = try makeSpool(scratch, name: "victim")
        let store = scratch.path + "/victim.sqlite"
        let process = try TriageProcess.start(["ingest", "--spool", spool, "--store", store, "--batch-rows", "300", "--json"], home: scratch.path)
        Thread.sleep(forTimeInterval: 0.3)
        kill(process.processIdentifier, SIGTERM)
        let output = (process.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit, "SIGTERM ends the run through its normal exit path")
        let summary = try TriageProcess.json(String(decoding: output, as: UTF8.self)) as? [String: Any]
        #expect(summary?["accepted"] is Int, "the summary still prints")
        let rerun = try TriageProcess.run(["ingest", "--spool", spool, "--store", store], home: scratch.path)
        #expect([0, 3].contains(rerun.status))
        #expect(try fingerprint(of: store, spool: spool, home: scratch.path) == expected)
    }
}
