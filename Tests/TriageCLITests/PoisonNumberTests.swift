import Foundation
import GRDB
import Testing
import TriageTestSupport

/// Numbers no conversion on a data path may trap on: from a producer (refused with a reason, the rest
/// of the spool flows on) and from a store that already holds them (it still lists and shows).
@Suite struct PoisonNumberTests {
    private func payload(_ id: Int, time: String, fingerprint: String = "poison") -> String {
        PayloadBuilder.bare(id: id, fingerprint: fingerprint, title: "t").with("detection_time", time).json
    }

    @Test func test_hugeTimesAreRefusedAndTheRestOfTheSpoolFlows() throws {
        let scratch = TemporaryDirectory()
        let spool = scratch.path + "/spool"
        let store = scratch.path + "/store.sqlite"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        let now = Date().timeIntervalSince1970
        let poisons = ["1e300", "1e19", "1e17", "\(Int(now * 1000))", "\(now + 10 * 86_400)", "-5"]
        for (index, time) in poisons.enumerated() {
            try payload(index + 1, time: time).write(toFile: "\(spool)/a-\(index).json", atomically: true, encoding: .utf8)
        }
        for index in 0..<5 {
            try payload(100 + index, time: "\(now - 60)", fingerprint: "good-\(index)").write(toFile: "\(spool)/b-\(index).json", atomically: true, encoding: .utf8)
        }
        let first = try TriageProcess.run(["ingest", "--spool", spool, "--store", store, "--json"], home: scratch.path)
        #expect(first.status == 3, "\(first.stderr)")
        let summary = try #require(try TriageProcess.json(first.stdout) as? [String: Any])
        #expect(summary["accepted"] as? Int == 5)
        #expect(summary["rejected"] as? Int == poisons.count)
        #expect(first.stderr.contains("looks like milliseconds"))
        #expect(scratch.files(in: "spool").filter { $0.hasSuffix(".json") }.isEmpty, "nothing is left to block the spool")
        let sidecar = try String(contentsOfFile: "\(spool)/failed/a-0.json.error.json", encoding: .utf8)
        #expect(sidecar.contains(#""field":"detection_time""#))
        let again = try TriageProcess.run(["ingest", "--spool", spool, "--store", store, "--json"], home: scratch.path)
        #expect(again.status == 0)
        let list = try TriageProcess.run(["list", "--store", store, "--query", "", "--json"], home: scratch.path)
        #expect((try TriageProcess.json(list.stdout) as? [Any])?.count == 5)
    }

    @Test func test_aStoreHoldingDamagedValuesStillListsAndShows() throws {
        let scratch = TemporaryDirectory()
        let spool = scratch.path + "/spool"
        let store = scratch.path + "/store.sqlite"
        try TriageProcess.run(["gen", "--out", spool, "--occurrences", "40", "--groups", "4", "--seed", "5"], home: scratch.path)
        try TriageProcess.run(["ingest", "--spool", spool, "--store", store], home: scratch.path)
        try DatabaseQueue(path: store).write { db in
            try db.execute(sql: """
                UPDATE groups SET last_seen = 1e300, first_seen = -1e300, times_seen = 'many', status = 9, substatus = 42,
                                  priority = 'urgent', level = 'loud', title = x'c328' WHERE id = 1;
                UPDATE groups SET last_seen = 'yesterday', first_seen = 'then', times_seen = 1e300, substatus = NULL WHERE id = 2;
                UPDATE status_history SET at = 'then', to_status = 'gone', cause = 7 WHERE group_id IN (1, 2);
                """)
        }
        for arguments in [["list", "--query", "", "--json"], ["list", "--query", ""], ["list", "--query", "", "--plain"],
                          ["show", "1"], ["show", "1", "--json"], ["show", "2"], ["show", "2", "--json"]] {
            let result = try TriageProcess.run(arguments + ["--store", store], home: scratch.path)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(!result.stdout.isEmpty, "\(arguments)")
        }
        let shown = try #require(try TriageProcess.json(try TriageProcess.run(["show", "1", "--json", "--store", store], home: scratch.path).stdout) as? [String: Any])
        #expect(shown["last_seen"] as? String == "9999-12-31T23:59:59.000Z")
    }
}
