import Foundation
import Testing
import TriageTestSupport

/// Spool files built to hurt: huge, sparse, oddly named. The real binary, real files.
@Suite struct HostileInputTests {
    @Test func test_hugeFilesAreRefusedInBoundedMemoryAndTheRestFlows() throws {
        let scratch = TemporaryDirectory()
        let spool = scratch.path + "/spool"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        // Sparse: 2 GiB as a single payload (refused by its size, never read) and 256 MiB of NULs as
        // JSON lines (one endless line, read through once in bounded buffers).
        #expect(FileManager.default.createFile(atPath: spool + "/a-huge.json", contents: nil))
        #expect(FileManager.default.createFile(atPath: spool + "/b-huge.jsonl", contents: nil))
        #expect(truncate(spool + "/a-huge.json", 2 << 30) == 0)
        #expect(truncate(spool + "/b-huge.jsonl", 256 << 20) == 0)
        try TriageProcess.run(["gen", "--out", spool, "--occurrences", "20", "--seed", "2"], home: scratch.path)
        let (result, peakKiB) = try TriageProcess.runMeasuringPeakRSS(["ingest", "--spool", spool, "--store", scratch.path + "/s.sqlite", "--json"],
                                                                       home: scratch.path)
        #expect(result.status == 3)
        #expect(result.stderr.contains("rejected: a-huge.json: payload is 2147483648 bytes, larger than the limit of 1048576 bytes"))
        #expect(result.stderr.contains("rejected: b-huge.jsonl:1: payload is 268435456 bytes, larger than the limit of 1048576 bytes"))
        let summary = try #require(try TriageProcess.json(result.stdout) as? [String: Any])
        #expect(summary["accepted"] as? Int == 20, "the rest of the spool flows")
        #expect(Set(scratch.files(in: "spool/failed")) == ["a-huge.json", "a-huge.json.error.json", "b-huge.jsonl", "b-huge.jsonl.error.json"])
        #expect(peakKiB > 0, "the high-water mark was read")
        #expect(peakKiB < 200 * 1024, "peak RSS of the ingest: \(peakKiB / 1024) MB")
    }

    /// Root reads any file, so the ingest runs as `nobody` (setpriv) to meet a permission it lacks.
    static let canDropPrivileges = getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")

    @Test(.enabled(if: canDropPrivileges)) func test_anUnreadableFileIsQuarantinedWithItsReason() throws {
        let scratch = TemporaryDirectory()
        let spool = scratch.path + "/spool"
        try TriageProcess.run(["gen", "--out", spool, "--occurrences", "3", "--format", "json", "--seed", "1"], home: scratch.path)
        let locked = try #require(scratch.files(in: "spool").first { $0.hasSuffix(".json") })
        #expect(chmod(spool + "/" + locked, 0) == 0)
        // A copy of the binary `nobody` can reach, wherever the checkout lives.
        try FileManager.default.copyItem(atPath: TriageProcess.binary, toPath: scratch.path + "/triage")
        #expect(try TriageProcess.shell("chown -R 65534:65534 '\(scratch.path)' && chmod 755 '\(scratch.path)' && echo ok") == "ok\n")
        let output = try TriageProcess.shell("cd '\(scratch.path)' && HOME='\(scratch.path)' setpriv --reuid=65534 --regid=65534 --clear-groups "
                                             + "./triage ingest --spool spool --store s.sqlite --json 2>&1; echo \"exit $?\"")
        #expect(output.contains("rejected: \(locked): cannot be opened: Permission denied"), "\(output)")
        #expect(output.hasSuffix("exit 3\n"))
        #expect(output.contains("\"accepted\":2"), "the rest of the spool flows")
        #expect(Set(scratch.files(in: "spool/failed")) == [locked, locked + ".error.json"])
    }

    @Test func test_namesWithSpacesNewlinesAndControlsAreIngestedAndReportedInertly() throws {
        let scratch = TemporaryDirectory()
        let spool = scratch.path + "/spool"
        try TriageProcess.run(["gen", "--out", spool, "--occurrences", "2", "--seed", "2", "--format", "json"], home: scratch.path)
        let good = try #require(scratch.files(in: "spool").first { $0.hasSuffix(".json") })
        try FileManager.default.moveItem(atPath: spool + "/" + good, toPath: spool + "/an occurrence\nwith a newline.json")
        try Data("{\"id\": 1}".utf8).write(to: URL(fileURLWithPath: spool + "/bad \u{1B}]0;pwned\u{7}.json"))
        let result = try TriageProcess.run(["ingest", "--spool", spool, "--store", scratch.path + "/s.sqlite"], home: scratch.path)
        #expect(result.status == 3)
        #expect(scratch.files(in: "spool/processed").contains("an occurrence\nwith a newline.json"))
        #expect(scratch.files(in: "spool/failed").contains("bad \u{1B}]0;pwned\u{7}.json.error.json"))
        #expect(!result.stderr.contains("\u{1B}"), "no raw escape reaches the terminal")
        #expect(result.stderr.contains("rejected: bad \\u{1b}]0;pwned\\u{7}.json: id: must be a string"))
    }
}
