import Foundation
import Testing
import TriageTestSupport

/// What a careless or hostile producer can put in a spool beside the files: links, FIFOs, devices,
/// names at the file system's limit, reused names, a `failed` that is not a directory, a spool
/// swapped under a follower. The real binary, real files.
@Suite struct HostileSpoolTests {
    private func occurrence(_ id: Int) -> String {
        PayloadBuilder.bare(id: id, fingerprint: "fp-\(id)", title: "Hostile \(id)").json
    }

    private func makeSpool(_ scratch: TemporaryDirectory) throws -> String {
        let spool = scratch.path + "/spool"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        return spool
    }

    private func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    private func ingest(_ spool: String, _ scratch: TemporaryDirectory) throws -> (TriageProcess.Result, [String: Any]?) {
        let result = try TriageProcess.run(["ingest", "--spool", spool, "--store", scratch.path + "/s.sqlite", "--json"], home: scratch.path)
        return (result, try? TriageProcess.json(result.stdout) as? [String: Any])
    }

    private func titles(_ scratch: TemporaryDirectory) throws -> [String] {
        let result = try TriageProcess.run(["list", "--store", scratch.path + "/s.sqlite", "--query", "", "--plain", "--fields", "title"],
                                           home: scratch.path)
        return result.stdout.split(separator: "\n").map(String.init).sorted()
    }

    // MARK: Links, FIFOs, devices, odd times

    @Test func test_entriesNoPassReadsAreNamedOnceAndLeftWhereTheyAre() throws {
        let scratch = TemporaryDirectory()
        let spool = try makeSpool(scratch)
        try write(occurrence(1), to: spool + "/a.json")
        try write(occurrence(2), to: spool + "/b.JSON")
        try write("notes", to: spool + "/c.txt")
        try FileManager.default.createDirectory(atPath: spool + "/d.json", withIntermediateDirectories: true)
        try write(occurrence(3), to: spool + "/.e.json")
        try write(occurrence(4), to: spool + "/f.json.tmp")
        let (result, summary) = try ingest(spool, scratch)
        #expect(result.status == 0)
        #expect(summary?["unread"] as? Int == 3)
        #expect(result.stderr == """
            unread: b.JSON: has an upper-case extension; only .json, .jsonl and .ndjson (lower case) are read (it stays in the spool)
            unread: c.txt: is not a .json, .jsonl or .ndjson file (it stays in the spool)
            unread: d.json: is a directory; only files directly in the spool are read (it stays in the spool)

            """, "dot-files and *.tmp are a producer's work in progress: not named")
        #expect(try titles(scratch) == ["Hostile 1"])
        #expect(FileManager.default.fileExists(atPath: spool + "/b.JSON"))
    }

    @Test func test_linksFIFOsAndDevicesAreQuarantinedAndTheRestIsStoredWithASummary() throws {
        let scratch = TemporaryDirectory()
        let spool = try makeSpool(scratch)
        try FileManager.default.createSymbolicLink(atPath: spool + "/a.json", withDestinationPath: "/etc/passwd")
        #expect(mkfifo(spool + "/b.json", 0o600) == 0)
        let withDevice = getuid() == 0 && mknod(spool + "/c.jsonl", S_IFCHR | 0o600, dev_t((1 << 8) | 3)) == 0
        // Nothing else: more entries quarantined unread than files read once made a counter go negative.
        let (result, summary) = try ingest(spool, scratch)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(summary?["rejected"] as? Int == (withDevice ? 3 : 2), "the summary prints")
        #expect(result.stderr.contains("rejected: a.json: is a symbolic link"))
        let failed = Set(scratch.files(in: "spool/failed"))
        #expect(failed.isSuperset(of: ["a.json", "a.json.error.json", "b.json", "b.json.error.json"]))
        if withDevice { #expect(failed.isSuperset(of: ["c.jsonl", "c.jsonl.error.json"])) }
    }

    @Test func test_aLinkInAFollowedSpoolDoesNotStopTheFollower() throws {
        let scratch = TemporaryDirectory()
        let spool = try makeSpool(scratch)
        let follower = try TriageProcess.start(["ingest", "--follow", "--spool", spool, "--store", scratch.path + "/s.sqlite"],
                                               home: scratch.path, quietOutput: true)
        defer { kill(follower.processIdentifier, SIGKILL); follower.waitUntilExit() }
        Thread.sleep(forTimeInterval: 0.5)
        try FileManager.default.createSymbolicLink(atPath: spool + "/link.json", withDestinationPath: "/etc/passwd")
        // A file that is not a payload wakes the follower: its pass finds only the link.
        try write("", to: spool + "/.notes.txt")
        #expect(rename(spool + "/.notes.txt", spool + "/notes.txt") == 0)
        Thread.sleep(forTimeInterval: 0.3)
        try write(occurrence(1), to: spool + "/.good.json")
        #expect(rename(spool + "/.good.json", spool + "/good.json") == 0)
        var seen: [String] = []
        for _ in 0..<100 where seen.isEmpty {
            Thread.sleep(forTimeInterval: 0.05)
            seen = try titles(scratch)
        }
        #expect(seen == ["Hostile 1"], "the file renamed in after the link is stored")
        #expect(follower.isRunning, "the follower lives on")
        #expect(Set(scratch.files(in: "spool/failed")) == ["link.json", "link.json.error.json"])
    }

    @Test func test_filesDatedFarInThePastOrFutureAreIngested() throws {
        let scratch = TemporaryDirectory()
        let spool = try makeSpool(scratch)
        // Year 2286 and before year 0: their times in nanoseconds do not fit 64 bits.
        for (index, seconds) in [10_000_000_000.0, -70_000_000_000.0].enumerated() {
            let path = spool + "/dated-\(index).json"
            try write(occurrence(index + 1), to: path)
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: seconds)], ofItemAtPath: path)
        }
        let (result, summary) = try ingest(spool, scratch)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(summary?["accepted"] as? Int == 2)
        #expect(scratch.files(in: "spool/processed") == ["dated-0.json", "dated-1.json"])
    }

    // MARK: Names at the limit, reused names

    @Test func test_refusedAndReusedNamesAtTheLengthLimitDoNotBlockTheSpool() throws {
        let scratch = TemporaryDirectory()
        let spool = try makeSpool(scratch)
        let long = String(repeating: "é", count: 122) + "-x.json"  // 251 bytes
        #expect(long.utf8.count == 251)
        try write("{not json", to: spool + "/" + long)
        for id in 1...20 { try write(occurrence(id), to: spool + "/good-\(id).json") }
        let (first, firstSummary) = try ingest(spool, scratch)
        #expect(first.status == 3, "\(first.stderr)")
        #expect(firstSummary?["accepted"] as? Int == 20)
        let failed = scratch.files(in: "spool/failed")
        #expect(failed.count == 2)
        #expect(failed.allSatisfy { $0.utf8.count <= 255 })
        let sidecar = try #require(failed.first { $0.hasSuffix(".error.json") })
        #expect(failed.contains(String(sidecar.dropLast(".error.json".count))), "the pair shares a stem")
        let record = try #require(try TriageProcess.json(String(contentsOfFile: spool + "/failed/" + sidecar, encoding: .utf8)) as? [String: Any])
        #expect(record["file"] as? String == long, "the sidecar keeps the original name")

        // A good file reused under a long name: processed/NAME.1 would not fit.
        let reused = String(repeating: "r", count: 250) + ".json"
        try write(occurrence(21), to: spool + "/" + reused)
        #expect(try ingest(spool, scratch).0.status == 0)
        try write(occurrence(22), to: spool + "/" + reused)
        let (again, againSummary) = try ingest(spool, scratch)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(againSummary?["accepted"] as? Int == 1)
        #expect(scratch.files(in: "spool/processed").filter { $0.hasPrefix("rrrr") }.count == 2)
        #expect(!scratch.files(in: "spool").contains(reused))
    }

    @Test func test_reusedNamesKeepEveryQuarantineRecord() throws {
        let scratch = TemporaryDirectory()
        let spool = try makeSpool(scratch)
        try write(occurrence(1) + "\n[1]\n", to: spool + "/batch.jsonl")
        try write("{round one", to: spool + "/whole.json")
        #expect(try ingest(spool, scratch).0.status == 3)
        try write(occurrence(2) + "\n[2]\n", to: spool + "/batch.jsonl")
        try write("{round two", to: spool + "/whole.json")
        #expect(try ingest(spool, scratch).0.status == 3)
        let failed = spool + "/failed/"
        #expect(scratch.files(in: "spool/failed") == ["batch.jsonl", "batch.jsonl.1", "batch.jsonl.1.error.json", "batch.jsonl.error.json",
                                                  "whole.json", "whole.json.1", "whole.json.1.error.json", "whole.json.error.json"])
        #expect(try String(contentsOfFile: failed + "batch.jsonl", encoding: .utf8) == "[1]\n")
        #expect(try String(contentsOfFile: failed + "batch.jsonl.1", encoding: .utf8) == "[2]\n")
        #expect(try String(contentsOfFile: failed + "whole.json", encoding: .utf8) == "{round one")
        #expect(try String(contentsOfFile: failed + "whole.json.1", encoding: .utf8) == "{round two")
        #expect(try String(contentsOfFile: failed + "whole.json.error.json", encoding: .utf8).contains("found 'r'"))
        #expect(try String(contentsOfFile: failed + "whole.json.1.error.json", encoding: .utf8).contains("found 'r'"))
        #expect(try String(contentsOfFile: failed + "batch.jsonl.1.error.json", encoding: .utf8).contains(#""line":2"#))
    }

    // MARK: The spool's own directories

    @Test(arguments: ["failed", "processed"])
    func test_aRegularFileWhereASpoolDirectoryGoesIsAClearError(name: String) throws {
        let scratch = TemporaryDirectory()
        let spool = try makeSpool(scratch)
        try write("not a directory", to: spool + "/" + name)
        try write(occurrence(1), to: spool + "/good.json")
        let (result, _) = try ingest(spool, scratch)
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(spool)/\(name) is a regular file, not a directory; move it out of the spool"), "\(result.stderr)")
        #expect(try String(contentsOfFile: spool + "/" + name, encoding: .utf8) == "not a directory", "left as it was")
    }

    @Test(arguments: ["failed", "processed"])
    func test_aSymlinkedSpoolDirectoryIsRefusedAndNothingIsWrittenThroughIt(name: String) throws {
        let scratch = TemporaryDirectory()
        let spool = try makeSpool(scratch)
        let elsewhere = scratch.path + "/elsewhere"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try write("precious\n", to: elsewhere + "/data.jsonl")
        #expect(chmod(elsewhere + "/data.jsonl", 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: spool + "/" + name, withDestinationPath: elsewhere)
        try write(occurrence(1) + "\n[1]\n", to: spool + "/data.jsonl")
        let (result, _) = try ingest(spool, scratch)
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(spool)/\(name) is a symbolic link; triage never writes through a link: replace it with a directory"),
                "\(result.stderr)")
        #expect(scratch.files(in: "elsewhere") == ["data.jsonl"])
        #expect(try String(contentsOfFile: elsewhere + "/data.jsonl", encoding: .utf8) == "precious\n")
        let mode = try FileManager.default.attributesOfItem(atPath: elsewhere + "/data.jsonl")[.posixPermissions] as? Int
        #expect(mode == 0o644)
    }

    @Test func test_directoriesTriageCreatesAreItsOwnersAloneWhateverTheUmask() throws {
        let scratch = TemporaryDirectory()
        let output = try TriageProcess.shell("""
            cd '\(scratch.path)' && umask 000 && HOME='\(scratch.path)' XDG_DATA_HOME='\(scratch.path)/data' \
            '\(TriageProcess.binary)' ingest --spool new/spool --store other/dir/s.sqlite >/dev/null 2>&1; echo "exit $?"
            """)
        #expect(output == "exit 0\n")
        for directory in ["new", "new/spool", "new/spool/processed", "new/spool/failed", "other", "other/dir"] {
            let mode = try FileManager.default.attributesOfItem(atPath: scratch.path + "/" + directory)[.posixPermissions] as? Int
            #expect(mode == 0o700, "\(directory): \(String(mode ?? 0, radix: 8))")
        }
    }

    @Test func test_aFollowerWhoseSpoolIsDeletedAndRecreatedSaysSoAndStops() throws {
        let scratch = TemporaryDirectory()
        let spool = try makeSpool(scratch)
        let follower = try TriageProcess.start(["ingest", "--follow", "--spool", spool, "--store", scratch.path + "/s.sqlite"],
                                               home: scratch.path)
        // Watching for sure before the spool goes: the follower has taken a file from it.
        try write(occurrence(0), to: spool + "/first.json")
        let watching = Date().addingTimeInterval(30)
        while FileManager.default.fileExists(atPath: spool + "/first.json"), Date() < watching { Thread.sleep(forTimeInterval: 0.05) }
        #expect(!FileManager.default.fileExists(atPath: spool + "/first.json"), "the follower took no file within 30 s")
        try FileManager.default.removeItem(atPath: spool)
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        let stopping = Date().addingTimeInterval(30)
        while follower.isRunning, Date() < stopping { Thread.sleep(forTimeInterval: 0.05) }
        let stoppedByItself = !follower.isRunning
        if !stoppedByItself { kill(follower.processIdentifier, SIGKILL) }
        #expect(stoppedByItself, "the follower does not sit idle on a directory that is gone")
        let stderr = (follower.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile()
        follower.waitUntilExit()
        #expect(follower.terminationStatus == 1)
        #expect(String(decoding: stderr, as: UTF8.self).contains("the spool \(spool) was deleted or replaced"),
                "\(String(decoding: stderr, as: UTF8.self))")
        // The new directory is free: an ingester takes it.
        try write(occurrence(1), to: spool + "/good.json")
        #expect(try ingest(spool, scratch).0.status == 0)
    }

    // MARK: Names on the terminal and in sidecars

    @Test func test_bidiAndC1ControlsInNamesAreEscapedOnStderrAndSidecarsCarryTheRealName() throws {
        let scratch = TemporaryDirectory()
        let spool = try makeSpool(scratch)
        let names = ["evil\u{202E}nosj.json", "c1\u{9B}31m.json", "new\nline.json"]
        for name in names { try write("{bad", to: spool + "/" + name) }
        let (result, _) = try ingest(spool, scratch)
        #expect(result.status == 3)
        #expect(!result.stderr.contains("\u{202E}") && !result.stderr.contains("\u{9B}"), "\(result.stderr)")
        #expect(result.stderr.contains("rejected: evil\\u{202e}nosj.json:"))
        #expect(result.stderr.contains("rejected: c1\\u{9b}31m.json:"))
        for name in names {
            let text = try String(contentsOfFile: spool + "/failed/" + name + ".error.json", encoding: .utf8)
            let record = try #require(try TriageProcess.json(text) as? [String: Any])
            #expect(record["file"] as? String == name)
        }
    }

    // MARK: Bounded memory

    @Test func test_anOversizedLineAmongGoodOnesIsCopiedToFailedInBoundedMemory() throws {
        let scratch = TemporaryDirectory()
        let spool = try makeSpool(scratch)
        let path = spool + "/mixed.jsonl"
        try write(occurrence(1) + "\n", to: path)
        let lineBytes: Int64 = 160 << 20
        // A line of NULs (sparse: no disk until copied), then a good line.
        let start = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64)
        #expect(truncate(path, off_t(start + lineBytes)) == 0)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(("\n" + occurrence(2) + "\n").utf8))
        handle.closeFile()
        let (result, peakKiB) = try TriageProcess.runMeasuringPeakRSS(["ingest", "--spool", spool, "--store", scratch.path + "/s.sqlite", "--json"],
                                                                       home: scratch.path)
        #expect(result.status == 3, "\(result.stderr)")
        let summary = try #require(try TriageProcess.json(result.stdout) as? [String: Any])
        #expect(summary["accepted"] as? Int == 2)
        let copied = try FileManager.default.attributesOfItem(atPath: spool + "/failed/mixed.jsonl")[.size] as? Int64
        #expect(copied == lineBytes + 1, "the whole line, and its newline")
        #expect(peakKiB > 0)
        #expect(peakKiB < 150 * 1024, "peak RSS of the ingest: \(peakKiB / 1024) MB")
    }
}
