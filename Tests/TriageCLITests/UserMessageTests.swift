import Foundation
import Testing
import TriageTestSupport

/// What a user meets at the command line when something is off: each message says what is wrong,
/// and what triage creates stays its owner's. On the real binary.
@Suite struct UserMessageTests {
    private func occurrence(_ id: Int, fingerprint: String = "a", type: Int = 1, time: Double = 1_790_000_000) -> String {
        PayloadBuilder.bare(id: id, fingerprint: fingerprint, type: type, time: time, title: "Title \(fingerprint)").json
    }

    /// A scratch home with a spool holding `lines` as one .jsonl file, ingested into `store` with `config`.
    private func ingested(_ lines: [String], config: String = "") throws -> (scratch: TemporaryDirectory, store: String, config: String) {
        let scratch = TemporaryDirectory()
        let spool = scratch.path + "/spool"
        let store = scratch.path + "/store.sqlite"
        let configPath = scratch.path + "/config.toml"
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        try lines.joined(separator: "\n").write(toFile: spool + "/a.jsonl", atomically: true, encoding: .utf8)
        let ingest = try TriageProcess.run(["ingest", "--spool", spool, "--store", store, "--config", configPath], home: scratch.path)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        return (scratch, store, configPath)
    }

    @Test func test_aBusyMetricsPortIsReportedAtOnceAsAddressInUse() throws {
        let scratch = TemporaryDirectory()
        let holder = try LoopbackServer(script: "import socket, time\ns = socket.socket()\ns.bind(('127.0.0.1', 0))\ns.listen()\nprint(s.getsockname()[1], flush=True)\ntime.sleep(60)")
        defer { holder.stop() }
        let port = holder.port
        try FileManager.default.createDirectory(atPath: scratch.path + "/spool", withIntermediateDirectories: true)
        let started = Date()
        let result = try TriageProcess.run(["ingest", "--follow", "--metrics-addr", "127.0.0.1:\(port)", "--spool", scratch.path + "/spool",
                                            "--store", scratch.path + "/store.sqlite"], home: scratch.path)
        #expect(result.status == 1)
        #expect(result.stderr == "triage: cannot serve metrics on 127.0.0.1:\(port): address already in use\n")
        #expect(Date().timeIntervalSince(started) < 4, "not after a 5 s wait")
    }

    @Test func test_ignoreUntilAPastTimeIsAUsageError() throws {
        let setup = try ingested([occurrence(1)])
        let past = try TriageProcess.run(["ignore", "1", "--until", "2020-01-01", "--store", setup.store], home: setup.scratch.path)
        #expect(past.status == 2)
        #expect(past.stderr.contains("--until: 2020-01-01T00:00:00.000Z is in the past; give a later time, or --for a duration."), "\(past.stderr)")
        let status = try TriageProcess.run(["list", "--store", setup.store, "--query", "", "--plain", "--fields", "status"], home: setup.scratch.path)
        #expect(status.stdout == "unresolved\n", "nothing was changed")
    }

    @Test func test_ignoreUntilTakesAClockTimeAsTheUIDoesAndNamesBothFormsWhenNeitherFits() throws {
        let setup = try ingested([occurrence(1)])
        let clock = try TriageProcess.run(["ignore", "1", "--until", "23:59", "--store", setup.store], home: setup.scratch.path)
        #expect(clock.status == 0, "\(clock.stderr)")
        let shown = try TriageProcess.run(["show", "1", "--json", "--store", setup.store], home: setup.scratch.path)
        #expect(shown.stdout.contains("T23:59:00.000Z"), "the next 23:59 UTC: \(shown.stdout)")
        let typo = try TriageProcess.run(["ignore", "1", "--until", "8 o'clock", "--store", setup.store], home: setup.scratch.path)
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("--until: '8 o'clock' is not a time such as 14:05 (UTC, its next occurrence) or 2026-12-01T09:00:00Z."),
                "\(typo.stderr)")
    }

    @Test func test_negativeNumbersAreNamedAsWrongNotMissing() throws {
        let scratch = TemporaryDirectory()
        for (arguments, message) in [(["list", "--limit", "-1"], "--limit must be zero or more."),
                                     (["ingest", "--batch-rows", "-5"], "--batch-rows must be at least 1."),
                                     (["ignore", "1", "--count", "-2"], "--count must be at least 1.")] {
            let result = try TriageProcess.run(arguments + ["--store", scratch.path + "/store.sqlite"], home: scratch.path)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("Missing value"), "\(arguments)")
        }
    }

    @Test func test_configFilesThatAreNotFilesSayWhatTheyAre() throws {
        let scratch = TemporaryDirectory()
        let store = scratch.path + "/store.sqlite"
        let empty = try TriageProcess.run(["list", "--store", store, "--config", "/dev/null"], home: scratch.path)
        #expect(empty.status == 0, "/dev/null is an empty configuration: \(empty.stderr)")
        let directory = try TriageProcess.run(["list", "--store", store, "--config", scratch.path], home: scratch.path)
        #expect(directory.status == 1)
        #expect(directory.stderr == "triage: \(scratch.path): cannot read the file: Is a directory\n")
        let missing = try TriageProcess.run(["list", "--store", store, "--config", scratch.path + "/nope.toml"], home: scratch.path)
        #expect(missing.stderr == "triage: \(scratch.path)/nope.toml: cannot read the file: No such file or directory\n")
    }

    @Test func test_aRelativeProgramIsNamedAsNotAbsolute() throws {
        let scratch = TemporaryDirectory()
        let config = scratch.path + "/config.toml"
        for (text, key) in [("[plugins.jira]\nkind = \"command\"\nargv = [\"jira-ticket\", \"--new\"]\n", "plugins.jira.argv"),
                            ("[[notifiers]]\nname = \"page\"\nkind = \"command\"\nargv = [\"page-me\"]\n", "notifiers[0].argv")] {
            try text.write(toFile: config, atomically: true, encoding: .utf8)
            let result = try TriageProcess.run(["trackers", "--config", config], home: scratch.path)
            #expect(result.status == 1)
            #expect(result.stderr.hasPrefix("triage: \(config): \(key): the program must be an absolute path, not \""), "\(result.stderr)")
        }
    }

    @Test func test_aFileFailedEventNamesTheFieldOfItsReason() throws {
        let scratch = TemporaryDirectory()
        let spool = scratch.path + "/spool"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        try occurrence(1).replacingOccurrences(of: #""project_id":1"#, with: #""project_id":"one""#)
            .write(toFile: spool + "/bad.json", atomically: true, encoding: .utf8)
        let ingest = try TriageProcess.run(["ingest", "--spool", spool, "--store", scratch.path + "/store.sqlite"], home: scratch.path)
        #expect(ingest.status == 3)
        let sidecar = try #require(try TriageProcess.json(try String(contentsOfFile: spool + "/failed/bad.json.error.json", encoding: .utf8)) as? [String: Any])
        let refusal = try #require((sidecar["errors"] as? [[String: Any]])?.first)
        let field = try #require(refusal["field"] as? String)
        let reason = try #require(refusal["reason"] as? String)
        let events = try String(contentsOfFile: scratch.path + "/analytics.jsonl", encoding: .utf8).split(separator: "\n")
        let line = try #require(events.first)
        let event = try #require(try TriageProcess.json(String(line)) as? [String: Any])
        #expect(event["type"] as? String == "ingest.file_failed")
        #expect((event["data"] as? [String: Any])?["reason"] as? String == "\(field): \(reason)")
    }

    @Test func test_listNoiseShowsAnExpiredWindowAsEmpty() throws {
        // Both occurrences are months old, far past their type's 60 s window.
        let noisy = try ingested([occurrence(1, type: 9001), occurrence(2, type: 9001)], config: """
            [[types]]
            id = 9001
            slug = "noisy"
            category = 1
            released = true
            noise = { ignore_limit = 3, expiry_time = 60 }

            """)
        let json = try TriageProcess.run(["list", "--noise", "--json", "--store", noisy.store, "--config", noisy.config], home: noisy.scratch.path)
        let keys = try #require(try TriageProcess.json(json.stdout) as? [[String: Any]])
        #expect(keys.first?["held"] as? Int == 2)
        #expect(keys.first?["window_count"] as? Int == 0, "the next occurrence starts a new window")
        let plain = try TriageProcess.run(["list", "--noise", "--plain", "--store", noisy.store, "--config", noisy.config], home: noisy.scratch.path)
        #expect(plain.stdout.split(separator: "\t").dropFirst(4).first == "0/3", "\(plain.stdout)")
    }

    @Test func test_showSaysWhenAGroupsTypeIsHiddenFromLists() throws {
        let setup = try ingested([occurrence(1, type: 8001)], config: "[flags]\n\"issue-metric-issue-ingest\" = true\n")
        let shown = try TriageProcess.run(["show", "1", "--store", setup.store, "--config", setup.config], home: setup.scratch.path)
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("metric_issue (8001)  (hidden from lists and the UI: the flag organizations:metric-issue-visible is off for project 1)"),
                "\(shown.stdout)")
    }

    @Test func test_everyMetricFamilyHasHelp() throws {
        let setup = try ingested([occurrence(1), occurrence(2, fingerprint: "b")])
        let metrics = try TriageProcess.run(["metrics", "--store", setup.store], home: setup.scratch.path)
        let lines = metrics.stdout.split(separator: "\n")
        let families = lines.filter { $0.hasPrefix("# TYPE ") }.map { $0.split(separator: " ")[2] }
        #expect(families.count >= 4)
        for family in families {
            #expect(lines.contains { $0.hasPrefix("# HELP \(family) ") }, "\(family) has no # HELP")
        }
    }

    @Test(.enabled(if: StorageFaultTests.canMount)) func test_listAndShowReadAStoreOnAReadOnlyFilesystem() throws {
        let scratch = TemporaryDirectory()
        let disk = scratch.path + "/disk"
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        #expect(try TriageProcess.shell("mount -t tmpfs -o size=16m tmpfs '\(disk)' && echo ok") == "ok\n")
        defer { _ = try? TriageProcess.shell("umount '\(disk)'") }
        let spool = scratch.path + "/spool"
        let store = disk + "/store.sqlite"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        try occurrence(1).write(toFile: spool + "/a.json", atomically: true, encoding: .utf8)
        #expect(try TriageProcess.run(["ingest", "--spool", spool, "--store", store], home: scratch.path).status == 0)
        #expect(try TriageProcess.shell("mount -o remount,ro '\(disk)' && echo ok") == "ok\n")
        let list = try TriageProcess.run(["list", "--store", store, "--plain", "--fields", "title"], home: scratch.path)
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout == "Title a\n")
        let show = try TriageProcess.run(["show", "1", "--store", store], home: scratch.path)
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.hasPrefix("Title a\n"))
        #expect(try TriageProcess.run(["metrics", "--store", store], home: scratch.path).status == 0)
    }

    @Test func test_whatTriageCreatesIsPrivateUnderAnOpenUmask() throws {
        let scratch = TemporaryDirectory()
        let spool = scratch.path + "/spool"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        try occurrence(1).write(toFile: spool + "/a.json", atomically: true, encoding: .utf8)
        try """
            [plugins.tickets]
            kind = "markdown"
            directory = "\(scratch.path)/shared/tickets"
            [analytics]
            path = "\(scratch.path)/logs/triage/analytics.jsonl"
            """.write(toFile: scratch.path + "/config.toml", atomically: true, encoding: .utf8)
        let triage = "umask 000; HOME='\(scratch.path)' '\(TriageProcess.binary)'"
        let options = "--store '\(scratch.path)/data/triage/store.sqlite' --config '\(scratch.path)/config.toml'"
        _ = try TriageProcess.shell("\(triage) ingest --spool '\(spool)' \(options) && \(triage) link 1 --tracker tickets --create \(options)")
        _ = try TriageProcess.shell("\(triage) demo --no-tui --dir '\(scratch.path)/demo' > /dev/null")
        let ticket = try #require(scratch.files(in: "shared/tickets").first)
        for (path, expected) in [("data", 0o700), ("data/triage", 0o700), ("data/triage/store.sqlite", 0o600), ("logs", 0o700),
                                 ("logs/triage", 0o700), ("logs/triage/analytics.jsonl", 0o600), ("shared", 0o700),
                                 ("shared/tickets", 0o700), ("shared/tickets/" + ticket, 0o600), ("demo", 0o700)] {
            let mode = try FileManager.default.attributesOfItem(atPath: scratch.path + "/" + path)[.posixPermissions] as? Int
            #expect(mode == expected, "\(path) is \(String(mode ?? -1, radix: 8))")
        }
    }
}
