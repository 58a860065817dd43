import Foundation
import TriagePostgres
import TriageTestSupport
import XCTest

/// `triage ingest` into the team store, through the real binary on a real PostgreSQL 15: the same
/// store as SQLite's from the same spool, several ingesters at once equal to one, and `kill -9`.
final class TeamIngestTests: TeamStoreTestCase {
    func test_aSpoolIngestedIntoTheTeamStoreListsAsIntoSQLite() throws {
        let spool = cli.home + "/spool"
        try cli.succeed(["gen", "--out", spool, "--occurrences", "600", "--groups", "40", "--projects", "2", "--seed", "5",
                         "--status-fraction", "0.05", "--noise-fraction", "0.1", "--users", "30", "--bad-fraction", "0.02"])
        let copy = cli.home + "/spool-copy"
        try FileManager.default.copyItem(atPath: spool, toPath: copy)
        let url = try migratedStore()
        let local = cli.home + "/local.sqlite"
        let intoSQLite = try cli.run(["ingest", "--json", "--spool", spool, "--store", local, "--config", "/dev/null", "--batch-rows", "97"])
        let intoTeam = try cli.run(["ingest", "--json", "--spool", copy, "--store", url, "--config", "/dev/null", "--batch-rows", "97"])
        XCTAssertEqual(intoTeam.status, intoSQLite.status, intoTeam.stderr)
        XCTAssertEqual(Self.withoutSeconds(intoTeam.stdout), Self.withoutSeconds(intoSQLite.stdout))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: copy + "/failed").sorted(),
                       try FileManager.default.contentsOfDirectory(atPath: spool + "/failed").sorted())
        // Groups by natural key, not by id: the team store creates a batch's new groups at once, ahead
        // of the noise-gated ones it forms, so ids may be handed out in another order.
        func listed(_ arguments: [String], _ store: String) throws -> [String] {
            try Self.entries(cli.succeed(arguments + ["--store", store])).map { Self.withoutIDs($0) }.sorted()
        }
        for query in ["", "is:unresolved", "is:resolved", "is:ignored", "type:error"] {
            let arguments = ["list", "--json", "--query", query, "--config", "/dev/null"]
            XCTAssertEqual(try listed(arguments, url), try listed(arguments, local), query)
        }
        XCTAssertEqual(try listed(["list", "--noise", "--json"], url), try listed(["list", "--noise", "--json"], local))
        // History entries carry the time each ingest ran, and a payload's status change on the team
        // store the role that ingested it (SQLite has none to name); everything else is the payloads'.
        func shown(_ fingerprint: String, _ store: String) throws -> String {
            let groups = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(cli.succeed(["list", "--json", "--store", store]).utf8))
                as? [[String: Any]])
            let group = try XCTUnwrap(groups.first { $0["project_id"] as? Int == 1 && $0["fingerprint"] as? String == fingerprint }, fingerprint)
            let id = try XCTUnwrap(group["short_id"] as? String)
            return Self.withoutIDs(try cli.run(["show", id, "--json", "--store", store]).stdout
                .replacingOccurrences(of: #""at":"[^"]*""#, with: #""at":…"#, options: .regularExpression)
                .replacingOccurrences(of: #""cause":"payload","actor":"\#(PostgresServer.superuser)""#, with: #""cause":"payload","actor":null"#))
        }
        for fingerprint in ["fp-0", "fp-2", "noise-4"] { XCTAssertEqual(try shown(fingerprint, url), try shown(fingerprint, local), fingerprint) }
        // The ingest's counters are the team store's too, as SQLite keeps its own.
        func counters(_ store: String) throws -> [String] {
            try cli.succeed(["metrics", "--store", store]).split(separator: "\n").map(String.init)
                .filter { $0.hasPrefix("triage_occurrences_total") || $0.hasPrefix("triage_groups_created_total") }.sorted()
        }
        let ingested = try counters(url)
        XCTAssertFalse(ingested.isEmpty)
        XCTAssertEqual(ingested, try counters(local))
        // The ledger keeps nothing once every file has left the spool.
        let left = try server.admin("SELECT (SELECT count(*) FROM ingest_files) + (SELECT count(*) FROM ingest_moves) AS n",
                                    database: database(of: url))
        XCTAssertEqual(left.first?.get("n"), 0 as Int)
    }

    func test_theIngestRoleIngestsWithItsGrantsAlone() throws {
        let url = try migratedStore()
        let database = self.database(of: url)
        for statement in PostgresGrants.statements(database: database) { try server.admin(statement, database: database) }
        let host = "host_\(database)"
        try server.admin("CREATE ROLE \(host) LOGIN")
        try server.admin("GRANT triage_ingest TO \(host)")
        let spool = cli.home + "/spool"
        try cli.succeed(["gen", "--out", spool, "--occurrences", "300", "--groups", "20", "--seed", "3", "--status-fraction", "0.05",
                         "--noise-fraction", "0.2", "--users", "10", "--bad-fraction", "0.02"])
        let ingest = try cli.run(["ingest", "--spool", spool, "--store", server.url(database, user: host), "--config", "/dev/null"])
        XCTAssert([0, 3].contains(ingest.status), ingest.stderr)
        XCTAssertFalse(ingest.stderr.contains("permission denied"), ingest.stderr)
        XCTAssertGreaterThan(try server.admin("SELECT count(*) AS n FROM groups", database: database).first?.get("n") ?? 0, 0)
    }

    func test_threeIngestersOnThreeSpoolsAtOnceEqualOneIngesterOnTheUnion() throws {
        let corpus = Self.mixedCorpus()
        let (spools, union) = try Self.writeSpools(corpus, home: cli.home)
        let one = try migratedStore()
        let result = try cli.run(["ingest", "--spool", union, "--store", one, "--config", "/dev/null", "--batch-rows", "7"])
        XCTAssertEqual(result.status, 0, result.stderr)

        let three = try migratedStore()
        let ingesters = try spools.map { spool in
            try TeamProcess(cli, ["ingest", "--spool", spool, "--store", three, "--config", "/dev/null", "--batch-rows", "7"])
        }
        for ingester in ingesters {
            let status = ingester.wait()
            XCTAssertEqual(status, 0, ingester.stderr)
        }
        let expected = try snapshot(one)
        XCTAssertEqual(try snapshot(three), expected)
        // The corpus exercises what it means to: groups formed from noise split across spools, a key
        // still below its limit, regressions, duplicates.
        XCTAssertTrue(expected.contains("1/noise-formed|1007|20|"), expected)
        XCTAssertTrue(expected.contains("1/noise-below|held 12|count 12|open"), expected)
        for spool in 0..<3 {
            XCTAssertTrue(expected.contains("1/own-\(spool)|1|40|0/6|"), expected)
            XCTAssertTrue(expected.contains("occurrence:new_group:0,payload:1,rule:regression:0|"), expected)
        }
        let uniqueOccurrences = Set(corpus.flatMap { $0.text.split(separator: "\n") }.filter { !$0.contains("status_change") }).count
        XCTAssertTrue(expected.hasSuffix(" ids \(uniqueOccurrences)"), "duplicates across spools are stored once: \(expected)")
    }

    func test_anIngesterKilledMidPassAndRunAgainCountsEachOccurrenceOnce() throws {
        let spool = cli.home + "/spool"
        // The last hour: no time rule comes due between the runs, so whichever run applies the rules
        // (each starts by doing so) finds nothing to do, as the uninterrupted run did.
        let start = Int(Date().timeIntervalSince1970) - 3600
        try cli.succeed(["gen", "--out", spool, "--occurrences", "3000", "--groups", "60", "--projects", "2", "--seed", "9",
                         "--noise-fraction", "0.1", "--status-fraction", "0.02", "--users", "20", "--start", "\(start)", "--span", "3000"])
        let copy = cli.home + "/spool-copy"
        try FileManager.default.copyItem(atPath: spool, toPath: copy)
        let clean = try migratedStore()
        XCTAssert([0, 3].contains(try cli.run(["ingest", "--spool", copy, "--store", clean, "--config", "/dev/null", "--batch-rows", "50"]).status))

        let killed = try migratedStore()
        var kills = 0
        for delay in [0.4, 0.8, 1.2] {
            let ingester = try TeamProcess(cli, ["ingest", "--spool", spool, "--store", killed, "--config", "/dev/null", "--batch-rows", "50"])
            Thread.sleep(forTimeInterval: delay)
            if ingester.kill() { kills += 1 }
            _ = ingester.wait()
        }
        XCTAssertGreaterThan(kills, 0, "the ingester ran long enough to be killed")
        XCTAssert([0, 3].contains(try cli.run(["ingest", "--spool", spool, "--store", killed, "--config", "/dev/null"]).status))
        XCTAssertEqual(try snapshot(killed), try snapshot(clean))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: spool).filter { !["processed", "failed"].contains($0) && !$0.hasPrefix(".") },
                       [], "every file left the spool")
    }

    /// The objects of `list --json`'s array, each as its text.
    private static func entries(_ json: String) throws -> [String] {
        let array = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [Any], json)
        return try array.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: .sortedKeys), as: UTF8.self) }
    }

    private static func withoutIDs(_ json: String) -> String {
        json.replacingOccurrences(of: #""(id|short_id|group_id)":("[^"]*"|[0-9]+)"#, with: "", options: .regularExpression)
    }

    private static func withoutSeconds(_ json: String) -> String {
        json.replacingOccurrences(of: #""seconds":[0-9.e-]+"#, with: "", options: .regularExpression)
    }

    /// One file of the corpus: the spool it goes to (the union takes them all), its name, its text.
    struct CorpusFile {
        let spool: Int
        let name: String
        let text: String
    }

    /// The corpus written into three spools under `home`, and all of it into a fourth, the union.
    static func writeSpools(_ corpus: [CorpusFile], home: String) throws -> (spools: [String], union: String) {
        let spools = (0..<3).map { home + "/spool-\($0)" }
        let union = home + "/union"
        for directory in spools + [union] { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        for file in corpus {
            try file.text.write(toFile: spools[file.spool] + "/" + file.name, atomically: true, encoding: .utf8)
            try file.text.write(toFile: union + "/" + file.name, atomically: true, encoding: .utf8)
        }
        return (spools, union)
    }

    /// Groups spread over all three spools; groups each kept in one spool with a status change
    /// and then more occurrences (a regression), so each spool's order decides them alone; a noise
    /// key (limit 15) reaching 20 across the spools, and one stopping at 12; occurrences sent twice,
    /// to two spools. Names sort in the order each spool must keep, and are unique in the union.
    static func mixedCorpus() -> [CorpusFile] {
        var files: [CorpusFile] = []
        var id = 0
        // An hour ago: no time rule is due while the test runs, whichever ingester runs the rules when.
        let start = (Date().timeIntervalSince1970 - 3600).rounded()
        func occurrence(_ fingerprint: String, type: Int = 1, at offset: Int, user: String? = nil) -> String {
            id += 1
            var payload = PayloadBuilder(id: id, fingerprint: fingerprint, type: type, time: start + Double(offset),
                                         title: "\(fingerprint) at \(offset)")
            if let user { payload = payload.seenBy(user) }
            return payload.json
        }
        var sequence = 0
        func add(_ spool: Int, _ lines: [String]) {
            sequence += 1
            files.append(CorpusFile(spool: spool, name: String(format: "%05d-%d.jsonl", sequence, spool), text: lines.joined(separator: "\n") + "\n"))
        }
        for round in 0..<40 {
            for spool in 0..<3 {
                var lines: [String] = []
                // Shared groups: every spool feeds them.
                for shared in 0..<5 { lines.append(occurrence("shared-\(shared)", at: round * 10 + spool, user: "u\(round % 7)")) }
                // Noise split across spools: 20 of one key (forms a group at 15), 12 of another (held).
                if round < 7 { lines.append(occurrence("noise-formed", type: 1007, at: round * 3 + spool)) }
                if round < 4 { lines.append(occurrence("noise-below", type: 1007, at: round * 3 + spool)) }
                // Each spool's own group: occurrences, resolved at round 20, more occurrences after.
                lines.append(occurrence("own-\(spool)", at: round * 10 + spool))
                if round == 20 { lines.append(statusChangeJSON(fingerprint: "own-\(spool)", status: 1, substatus: nil)) }
                add(spool, lines)
            }
        }
        // Only 20 of the 21 noise-formed occurrences above count: drop one so the total is exactly 20.
        // (7 rounds × 3 spools = 21.)
        if let index = files.firstIndex(where: { $0.text.contains("noise-formed") }) {
            let file = files[index]
            let kept = file.text.split(separator: "\n").filter { !$0.contains("noise-formed") }.joined(separator: "\n") + "\n"
            files[index] = CorpusFile(spool: file.spool, name: file.name, text: kept)
        }
        // Duplicates: a file's copy sent to the next spool as well, under another name.
        for index in stride(from: 0, to: files.count, by: 9) {
            let file = files[index]
            sequence += 1
            files.append(CorpusFile(spool: (file.spool + 1) % 3, name: String(format: "%05d-%d-again.jsonl", sequence, (file.spool + 1) % 3),
                                    text: file.text.split(separator: "\n").filter { !$0.contains("status_change") }.joined(separator: "\n") + "\n"))
        }
        return files
    }
}

/// A `triage` process running alongside the test, for concurrency and kills.
final class TeamProcess {
    private let process = Process()
    private let errorFile: String
    private let outputFile: String

    init(_ cli: TeamCLI, _ arguments: [String]) throws {
        let name = UUID().uuidString
        errorFile = cli.home + "/stderr-\(name)"
        outputFile = cli.home + "/stdout-\(name)"
        _ = FileManager.default.createFile(atPath: errorFile, contents: nil)
        _ = FileManager.default.createFile(atPath: outputFile, contents: nil)
        process.executableURL = URL(fileURLWithPath: TeamCLI.binary)
        process.arguments = arguments
        process.environment = ["HOME": cli.home, "XDG_DATA_HOME": cli.home + "/data", "XDG_CONFIG_HOME": cli.home + "/config",
                               "PATH": "/usr/bin:/bin", "NO_COLOR": "1", "USER": "tester"]
        process.standardOutput = FileHandle(forWritingAtPath: outputFile)
        process.standardError = FileHandle(forWritingAtPath: errorFile)
        try process.run()
    }

    /// SIGKILL; false if it had already ended.
    func kill() -> Bool {
        guard process.isRunning else { return false }
        return Foundation.kill(process.processIdentifier, SIGKILL) == 0
    }

    /// SIGINT, as Ctrl-C: a follower commits what it has and exits.
    func interrupt() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGINT) }
    }

    var isRunning: Bool { process.isRunning }

    func wait() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }

    var stderr: String { (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? "" }
    var stdout: String { (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? "" }
}
