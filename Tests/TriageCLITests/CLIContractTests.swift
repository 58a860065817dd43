import Foundation
import Testing
import TriageTestSupport

/// The command-line contract (shared/spec/cli.md), checked on the real binary with real files.
@Suite struct CLIContractTests {
    @Test func test_genIngestListShowRoundTrip() throws {
        let scratch = TemporaryDirectory()
        let spool = scratch.path + "/spool"
        let store = scratch.path + "/store.sqlite"
        try TriageProcess.run(["gen", "--out", spool, "--occurrences", "300", "--groups", "20", "--per-file", "50",
                               "--bad-fraction", "0.05", "--seed", "3"], home: scratch.path)
        let ingest = try TriageProcess.run(["ingest", "--spool", spool, "--store", store, "--json"], home: scratch.path)
        #expect(ingest.status == 3, "some input was rejected")
        let summary = try #require(try TriageProcess.json(ingest.stdout) as? [String: Any])
        for key in ["files", "accepted", "duplicates", "rejected", "noise_held", "groups_created", "status_changes", "seconds"] {
            #expect(summary[key] != nil, "summary has \(key)")
        }
        let accepted = summary["accepted"] as! Int
        let rejected = summary["rejected"] as! Int
        #expect(accepted + rejected == 300)
        #expect(rejected > 0)
        #expect(ingest.stderr.contains("rejected: gen-"), "refusals are named on stderr")
        #expect(scratch.files(in: "spool/processed").count == 6)
        #expect(scratch.files(in: "spool/failed").contains { $0.hasSuffix(".error.json") })

        let list = try TriageProcess.run(["list", "--store", store, "--query", "", "--json"], home: scratch.path)
        #expect(list.status == 0)
        let groups = try #require(try TriageProcess.json(list.stdout) as? [[String: Any]])
        #expect(!groups.isEmpty)
        let contractKeys: Set<String> = ["id", "short_id", "project_id", "fingerprint", "type_id", "type", "category", "title",
                                         "subtitle", "culprit", "level", "status", "substatus", "priority", "first_seen",
                                         "last_seen", "times_seen", "important_evidence"]
        #expect(contractKeys.isSubset(of: Set(groups[0].keys)))
        let lastSeen = groups.map { $0["last_seen"] as! String }
        #expect(lastSeen == lastSeen.sorted(by: >), "newest activity first")
        #expect(lastSeen[0].range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"#, options: .regularExpression) != nil)
        let events = groups.reduce(0) { $0 + ($1["times_seen"] as! Int) }
        #expect(events == accepted - (summary["noise_held"] as! Int) + (summary["noise_released"] as! Int))

        let shortID = groups[0]["short_id"] as! String
        let show = try TriageProcess.run(["show", shortID, "--store", store, "--json"], home: scratch.path)
        let details = try #require(try TriageProcess.json(show.stdout) as? [String: Any])
        #expect(details["short_id"] as? String == shortID)
        let latest = try #require(details["latest_occurrence"] as? [String: Any])
        #expect(latest["evidence_display"] is [Any])
        #expect(latest["evidence_data"] is [String: Any])
        #expect(latest["event"] is [String: Any])
        #expect((details["history"] as? [[String: Any]])?.first?["cause"] as? String == "occurrence:new_group")
        #expect(details["links"] is [Any])

        let limited = try TriageProcess.run(["list", "--store", store, "--query", "", "--limit", "2", "--json", "--fields", "id,title"], home: scratch.path)
        let rows = try #require(try TriageProcess.json(limited.stdout) as? [[String: Any]])
        #expect(rows.count == 2)
        #expect(Set(rows[0].keys) == ["id", "title"])

        let plain = try TriageProcess.run(["list", "--store", store, "--query", "", "--plain"], home: scratch.path)
        #expect(plain.stdout.split(separator: "\n").count == groups.count)
        #expect(plain.stdout.split(separator: "\n").allSatisfy { $0.split(separator: "\t", omittingEmptySubsequences: false).count == 10 })
        #expect(!plain.stdout.contains("\u{1B}"), "no colour when stdout is not a terminal")
    }

    @Test func test_statusCommandsAndExitCodes() throws {
        let scratch = TemporaryDirectory()
        let spool = scratch.path + "/spool"
        let store = scratch.path + "/store.sqlite"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        let occurrence = { (id: Int, fingerprint: String, type: Int) in
            PayloadBuilder.bare(id: id, fingerprint: fingerprint, type: type, title: "T \(id)").json
        }
        try (occurrence(1, "a", 1) + "\n" + occurrence(2, "b", 7001) + "\n").write(toFile: spool + "/a.jsonl", atomically: true, encoding: .utf8)
        #expect(try TriageProcess.run(["ingest", "--spool", spool, "--store", store], home: scratch.path).status == 0)

        let resolve = try TriageProcess.run(["resolve", "P1-1", "--store", store], home: scratch.path)
        #expect(resolve.status == 0)
        #expect(resolve.stdout == "P1-1: unresolved/new → resolved\n")
        #expect(try TriageProcess.run(["reopen", "1", "--store", store], home: scratch.path).stdout == "P1-1: resolved → unresolved/ongoing\n")
        let ignore = try TriageProcess.run(["ignore", "1", "--for", "2h", "--store", store], home: scratch.path)
        #expect(ignore.stdout == "P1-1: unresolved/ongoing → ignored/archived_until_condition_met\n")

        let illegal = try TriageProcess.run(["ignore", "P1-2", "--until-escalating", "--store", store], home: scratch.path)
        #expect(illegal.status == 1)
        #expect(illegal.stderr == "triage: group P1-2 is unresolved/new; cannot ignore until escalating: type uptime_domain_failure has no escalation detection\n")

        // One group named three ways acts once.
        let twice = try TriageProcess.run(["resolve", "P1-2", "p1-2", "2", "--store", store], home: scratch.path)
        #expect(twice.stdout == "P1-2: unresolved/new → resolved\n")
        #expect(try TriageProcess.run(["reopen", "P1-2", "--store", store], home: scratch.path).status == 0)

        let fieldsAlone = try TriageProcess.run(["list", "--fields", "title", "--store", store], home: scratch.path)
        #expect(fieldsAlone.status == 2)
        #expect(fieldsAlone.stderr.contains("--fields chooses keys for --json or --plain"))
        #expect(try TriageProcess.run(["list", "--help"], home: scratch.path).stdout.contains("priority, trend"))

        let missing = try TriageProcess.run(["resolve", "P1-99", "--store", store], home: scratch.path)
        #expect(missing.status == 1)
        #expect(missing.stderr == "triage: no group \"P1-99\" in this store\n")

        let badQuery = try TriageProcess.run(["list", "--query", "level:loud", "--store", store], home: scratch.path)
        #expect(badQuery.status == 2)
        #expect(badQuery.stderr.contains("level: unknown level \"loud\" (at column 7)"))

        #expect(try TriageProcess.run(["list", "--sort", "sideways", "--store", store], home: scratch.path).status == 2)
        #expect(try TriageProcess.run(["ignore", "1", "--count", "3", "--users", "2", "--store", store], home: scratch.path).status == 2)

        let history = try #require(try TriageProcess.json(
            try TriageProcess.run(["show", "1", "--json", "--store", store], home: scratch.path).stdout) as? [String: Any])
        let causes = (history["history"] as! [[String: Any]]).map { $0["cause"] as! String }
        #expect(causes == ["occurrence:new_group", "user", "user", "user"])
        #expect((history["history"] as! [[String: Any]]).last?["actor"] as? String == "tester")
        #expect((history["ignore_condition"] as? [String: Any])?["until"] is String)
    }

    @Test func test_storeFileIsPrivateAndEnvironmentLocationsApply() throws {
        let scratch = TemporaryDirectory()
        let result = try TriageProcess.run(["list", "--query", ""], home: scratch.path)
        #expect(result.status == 0)
        let storePath = scratch.path + "/data/triage/triage.sqlite"
        let attributes = try FileManager.default.attributesOfItem(atPath: storePath)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test func test_processesOpeningANewStoreAtOnceAllSucceed() throws {
        let scratch = TemporaryDirectory()
        let processes = try (0..<6).map { _ in
            try TriageProcess.start(["list", "--query", "", "--store", scratch.path + "/new.sqlite"], home: scratch.path, quietOutput: true)
        }
        processes.forEach { $0.waitUntilExit() }
        #expect(processes.map(\.terminationStatus) == Array(repeating: 0, count: 6))
    }

    @Test func test_typesListsBuiltInsAndConfiguredTypes() throws {
        let scratch = TemporaryDirectory()
        let config = scratch.path + "/config.toml"
        try "[[types]]\nid = 9001\nslug = \"secret_leak\"\ncategory = 1\nreleased = true\n".write(toFile: config, atomically: true, encoding: .utf8)
        let result = try TriageProcess.run(["types", "--json", "--config", config], home: scratch.path)
        let types = try #require(try TriageProcess.json(result.stdout) as? [[String: Any]])
        #expect(types.count == 26)
        #expect(types.contains { $0["slug"] as? String == "secret_leak" && $0["type_id"] as? Int == 9001 })
        try "[[types]]\nid = 1\nslug = \"dup\"\ncategory = 1\n".write(toFile: config, atomically: true, encoding: .utf8)
        let duplicate = try TriageProcess.run(["types", "--config", config], home: scratch.path)
        #expect(duplicate.status == 1)
        #expect(duplicate.stderr.contains("group type id 1 is defined twice: by the built-in types and by"))
    }

    @Test func test_demoBuildsAStoreWithDataAndQuarantinedFiles() throws {
        let scratch = TemporaryDirectory()
        let result = try TriageProcess.run(["demo", "--no-tui", "--dir", scratch.path + "/demo"], home: scratch.path)
        #expect(result.status == 0)
        #expect(result.stdout.contains("demo: ingested"))
        #expect(!result.stdout.contains("\u{1B}"), "the escape-laden demo title is printed inert")
        #expect(result.stdout.contains("␛"))
        #expect(scratch.files(in: "demo/spool/failed").count == 4)
        let list = try TriageProcess.run(["list", "--store", scratch.path + "/demo/triage.sqlite", "--query", "is:regressed", "--plain", "--fields", "title"], home: scratch.path)
        #expect(list.stdout == "Timeout waiting for lock on search index\n")
    }

    /// A misspelt type, key or level in `list --query` (or `tui --query`) says what was meant, as the
    /// TUI's `/` line does: the parser owns the suggestion.
    @Test func test_aMisspeltQueryWordSuggestsTheNearestOnTheCommandLine() throws {
        let scratch = TemporaryDirectory()
        let store = scratch.path + "/s.sqlite"
        let type = try TriageProcess.run(["list", "--store", store, "--query", "type:monitor_chek_in_failure"], home: scratch.path)
        #expect(type.status == 2)
        #expect(type.stderr.contains("; did you mean monitor_check_in_failure? (at column 6)"), "\(type.stderr)")
        let key = try TriageProcess.run(["list", "--store", store, "--query", "levl:fatal"], home: scratch.path)
        #expect(key.stderr.contains("did you mean level:?"), "\(key.stderr)")
        let tui = try TriageProcess.run(["tui", "--store", store, "--query", "type:eror"], home: scratch.path)
        #expect(tui.status == 2)
        #expect(tui.stderr.contains("did you mean error?"), "\(tui.stderr)")
    }

    @Test func test_aBadThemeStopsTheUIBeforeItTakesTheTerminal() throws {
        let scratch = TemporaryDirectory()
        let unknown = try TriageProcess.run(["tui", "--store", scratch.path + "/s.sqlite", "--theme", "neon"], home: scratch.path)
        #expect(unknown.status == 2, "a --theme that names no theme is a usage error")
        #expect(unknown.stderr == "triage: neon: unknown theme 'neon'; available: default, high-contrast, light, mono\n")
        let themes = scratch.path + "/config/triage/themes"
        try FileManager.default.createDirectory(atPath: themes, withIntermediateDirectories: true)
        try "[roles]\nrow = { fg = \"red\" }\nheader = { fg = \"chartreuse\" }\n".write(toFile: themes + "/mine.toml", atomically: true, encoding: .utf8)
        let bad = try TriageProcess.run(["tui", "--store", scratch.path + "/s.sqlite", "--theme", "mine"], home: scratch.path)
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("triage: \(themes)/mine.toml:3: header: unknown colour 'chartreuse'"))
    }

    @Test func test_listNoiseShowsHeldOccurrencesByKey() throws {
        let scratch = TemporaryDirectory()
        let spool = scratch.path + "/spool"
        let store = scratch.path + "/store.sqlite"
        try TriageProcess.run(["gen", "--out", spool, "--occurrences", "2000", "--groups", "1500", "--seed", "3"], home: scratch.path)
        let ingest = try TriageProcess.run(["ingest", "--spool", spool, "--store", store, "--json"], home: scratch.path)
        let summary = try #require(try TriageProcess.json(ingest.stdout) as? [String: Any])
        let held = try #require(summary["noise_held"] as? Int) - (summary["noise_released"] as! Int)
        #expect(held > 0)
        let list = try TriageProcess.run(["list", "--noise", "--json", "--store", store], home: scratch.path)
        let keys = try #require(try TriageProcess.json(list.stdout) as? [[String: Any]])
        #expect(keys.reduce(0) { $0 + ($1["held"] as! Int) } == held, "every held occurrence is listed once")
        let first = try #require(keys.first)
        #expect((first["window_count"] as! Int) < (first["ignore_limit"] as! Int))
        let table = try TriageProcess.run(["list", "--noise", "--store", store], home: scratch.path)
        #expect(table.stdout.hasPrefix("PROJECT  TYPE"))
    }

    @Test func test_configuredNotifiersReceiveNewIssuesAfterIngest() throws {
        let scratch = TemporaryDirectory()
        let spool = scratch.path + "/spool"
        let store = scratch.path + "/store.sqlite"
        let log = scratch.path + "/notifications.jsonl"
        let config = scratch.path + "/triage.toml"
        try "[[notifiers]]\nname = \"log\"\nkind = \"jsonl\"\npath = \"\(log)\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        // First run registers the notifier (it delivers what comes after it was configured).
        try TriageProcess.run(["ingest", "--spool", spool, "--store", store, "--config", config], home: scratch.path)
        try TriageProcess.run(["gen", "--out", spool, "--occurrences", "50", "--groups", "5", "--seed", "4"], home: scratch.path)
        let ingest = try TriageProcess.run(["ingest", "--spool", spool, "--store", store, "--config", config, "--json"], home: scratch.path)
        let summary = try #require(try TriageProcess.json(ingest.stdout) as? [String: Any])
        let created = try #require(summary["groups_created"] as? Int)
        #expect(created > 0)
        #expect(summary["notifications_sent"] as? Int == created)
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == created)
        #expect(lines.allSatisfy { $0.contains("\"reason\":\"new_group\"") })
    }
}
