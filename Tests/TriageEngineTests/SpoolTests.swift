import Foundation
import Testing
@testable import TriageEngine
import TriageTestSupport

@Suite struct SpoolTests {
    @Test func test_goodFilesMoveToProcessedAndBadOnesToFailedWithSidecars() throws {
        let workspace = try Workspace()
        workspace.drop("1-good.json", PayloadBuilder(id: 1).json)
        workspace.drop("2-bad.json", "{not json")
        let report = try workspace.ingest()
        #expect(report.files == 2)
        #expect(report.rejected == 1)
        let directory = workspace.directory
        #expect(directory.files(in: "spool") == [".triage.lock", "failed", "processed"])
        #expect(directory.files(in: "spool/processed") == ["1-good.json"])
        #expect(directory.files(in: "spool/failed") == ["2-bad.json", "2-bad.json.error.json"])
        #expect(directory.read("spool/failed/2-bad.json") == "{not json")
        #expect(directory.read("spool/failed/2-bad.json.error.json") ==
            #"{"file":"2-bad.json","errors":[{"line":null,"field":null,"reason":"invalid JSON at byte 1: found 'n', expected a string key"}]}"# + "\n")
    }

    @Test func test_jsonLinesKeepTheGoodLinesAndQuarantineOnlyTheBadOnes() throws {
        let workspace = try Workspace()
        let badLine = PayloadBuilder(id: 2).without("subtitle").json
        workspace.drop("mixed.jsonl", [PayloadBuilder(id: 1).json, "", badLine, "   ", PayloadBuilder(id: 3).json + "\r", "[1]"].joined(separator: "\n"))
        let report = try workspace.ingest()
        #expect(report.accepted == 2)
        #expect(report.rejected == 2)
        #expect(report.notes.map(\.description) == ["mixed.jsonl:3: subtitle: required field is missing",
                                                    "mixed.jsonl:6: payload must be a JSON object, found array"])
        #expect(workspace.directory.files(in: "spool/processed") == ["mixed.jsonl"])
        #expect(workspace.directory.read("spool/failed/mixed.jsonl") == badLine + "\n[1]\n")
        #expect(workspace.directory.read("spool/failed/mixed.jsonl.error.json") ==
            #"{"file":"mixed.jsonl","errors":[{"line":3,"field":"subtitle","reason":"required field is missing"},{"line":6,"field":null,"reason":"payload must be a JSON object, found array"}]}"# + "\n")
    }

    @Test func test_aFailedOutputThatCannotBeWrittenStopsThePassBeforeItCommits() throws {
        let workspace = try Workspace()
        workspace.drop("mixed.jsonl", [PayloadBuilder(id: 1).json, "[1]"].joined(separator: "\n"))
        // A directory where outputs are written before their rename: the open fails (permissions
        // would not stop root; a name taken by anything else is passed over for the next one).
        let blocker = workspace.directory.path + "/spool/failed/.triage-output.tmp"
        try FileManager.default.createDirectory(atPath: blocker, withIntermediateDirectories: false)
        #expect(throws: SpoolError.self) { try workspace.ingest() }
        #expect(try workspace.count("SELECT count(*) FROM occurrences") == 0, "the transaction was rolled back")
        #expect(workspace.directory.files(in: "spool").contains("mixed.jsonl"), "the file stays in the spool")

        try FileManager.default.removeItem(atPath: blocker)
        let report = try workspace.ingest()
        #expect((report.accepted, report.rejected) == (1, 1))
        #expect(workspace.directory.files(in: "spool/failed") == ["mixed.jsonl", "mixed.jsonl.error.json"])
        #expect(workspace.directory.read("spool/failed/mixed.jsonl") == "[1]\n")
    }

    @Test func test_aWhollyBadJSONLinesFileMovesToFailed() throws {
        let workspace = try Workspace()
        workspace.drop("junk.ndjson", "nope\nnope again\n")
        #expect(try workspace.ingest().rejected == 2)
        #expect(workspace.directory.files(in: "spool/failed") == ["junk.ndjson", "junk.ndjson.error.json"])
        #expect(workspace.directory.read("spool/failed/junk.ndjson") == "nope\nnope again\n")
    }

    @Test func test_ignoresDotFilesTmpFilesAndOtherExtensions() throws {
        let workspace = try Workspace()
        workspace.drop(".hidden.json", PayloadBuilder(id: 1).json)
        workspace.drop("writing.json.tmp", PayloadBuilder(id: 2).json)
        workspace.drop("notes.txt", "hello")
        workspace.drop("real.json", PayloadBuilder(id: 3).json)
        let report = try workspace.ingest()
        #expect(report.files == 1)
        #expect(workspace.directory.files(in: "spool").contains(".hidden.json"))
        #expect(workspace.directory.files(in: "spool").contains("writing.json.tmp"))
        #expect(workspace.directory.files(in: "spool").contains("notes.txt"))
    }

    @Test func test_filesAreTakenInByteOrderOfTheirNames() throws {
        let workspace = try Workspace()
        // 'B' (0x42) sorts before 'a' (0x61) in byte order; a locale-aware sort would swap them.
        workspace.drop("a.json", statusChangeJSON(status: 1, substatus: nil))
        workspace.drop("B.json", PayloadBuilder().json)
        let report = try workspace.ingest()
        #expect(report.rejected == 0, "the occurrence must exist before the status change")
        #expect(try workspace.groups().first?.state == .resolved)
    }

    @Test func test_anOverlongLineIsRefusedWithoutStoppingTheFile() throws {
        let workspace = try Workspace()
        let limits = PayloadLimits(maxPayloadBytes: 2048, maxDepth: 64)
        let long = "{\"pad\":\"" + String(repeating: "x", count: 50_000) + "\"}"
        workspace.drop("a.jsonl", PayloadBuilder(id: 1).json + "\n" + long + "\n" + PayloadBuilder(id: 2).json)
        let report = try workspace.ingest(limits: limits)
        #expect(report.accepted == 2)
        #expect(report.notes.map(\.description) == ["a.jsonl:2: payload is \(long.utf8.count) bytes, larger than the limit of 2048 bytes"])
        #expect(workspace.directory.read("spool/failed/a.jsonl") == long + "\n")
    }

    @Test func test_anOversizedJSONFileIsRefusedBySize() throws {
        let workspace = try Workspace()
        workspace.drop("big.json", String(repeating: " ", count: 3000))
        let report = try workspace.ingest(limits: PayloadLimits(maxPayloadBytes: 2048, maxDepth: 64))
        #expect(report.notes.first?.reason == "payload is 3000 bytes, larger than the limit of 2048 bytes")
        #expect(workspace.directory.files(in: "spool/failed") == ["big.json", "big.json.error.json"])
    }

    @Test func test_anInterruptedPassResumesWhereItCommitted() throws {
        let workspace = try Workspace()
        let lines = (1...50).map { PayloadBuilder(id: $0, fingerprint: "fp-\($0 % 5)").json }
        workspace.drop("a.jsonl", lines.joined(separator: "\n"))
        var polls = 0
        let ingestor = try SpoolIngestor(store: workspace.store, spool: workspace.spool, batchRows: 10)
        let first = try ingestor.ingestAvailable { polls += 1; return polls > 23 }
        #expect(first.interrupted)
        #expect(first.accepted < 50)
        #expect(workspace.directory.files(in: "spool").contains("a.jsonl"), "unfinished files stay in the spool")
        #expect(try workspace.count("SELECT accepted FROM ingest_files WHERE outcome IS NULL") == first.accepted,
                "an unfinished file keeps its progress in the ledger")
        let second = try ingestor.ingestAvailable()
        #expect(first.accepted + second.accepted == 50)
        #expect(second.duplicates == 0, "resumed from the committed offset, not from the start")
        #expect(try workspace.count("SELECT sum(times_seen) FROM groups") == 50)
    }

    @Test func test_filesThatLeftTheSpoolLeaveNoLedgerRows() throws {
        let workspace = try Workspace()
        for id in 1...5 { workspace.drop("p\(id).json", PayloadBuilder(id: id).json) }
        workspace.drop("bad.json", "{")
        workspace.drop("mixed.jsonl", PayloadBuilder(id: 9).json + "\n{\n")
        let report = try workspace.ingest()
        #expect(report.accepted == 6)
        #expect(report.rejected == 2)
        #expect(workspace.directory.files(in: "spool/processed").count == 6)
        #expect(try workspace.count("SELECT count(*) FROM ingest_files") == 0, "rows are kept only until their files have moved")
        #expect(try workspace.count("SELECT count(*) FROM rejections") == 0)
        #expect(try workspace.count("SELECT count(*) FROM ingest_moves") == 0, "as are the commits' records of files without rows")
        #expect(workspace.directory.files(in: "spool/failed").contains("mixed.jsonl.error.json"), "the sidecars were written first")
    }

    @Test(arguments: [0, 50_000]) func test_theLedgerFindsAFileWhetherItsRowsArePreloadedOrNot(preloadLimit: Int) throws {
        let workspace = try Workspace()
        workspace.drop("a.jsonl", PayloadBuilder(id: 1).json)
        guard case let .opened(file) = SpoolFile.open(SpoolName("a.jsonl"), in: workspace.spool) else {
            Issue.record("the file does not open")
            return
        }
        try workspace.store.pool.write { db in
            var entry = IngestLedger.unclaimed(file.name, file.identity)
            entry.byteOffset = 120
            entry.line = 1
            entry.counts.accepted = 1
            try IngestLedger(db).save(&entry, at: 0, finished: false)
            // Preloaded with `preloadLimit` 50,000 (one row); looked up in the store with 0.
            let ledger = try IngestLedger(db, preloadLimit: preloadLimit)
            let found = try #require(try ledger.find(file.name, file.identity))
            #expect(found.id == entry.id)
            #expect(found.byteOffset == 120 && found.line == 1 && found.counts.accepted == 1 && found.outcome == nil)
            let other = FileIdentity(device: file.identity.device, inode: file.identity.inode, size: file.identity.size + 1,
                                     mtimeNanoseconds: file.identity.mtimeNanoseconds)
            #expect(try ledger.find(file.name, other) == nil, "a file changed since is another file")
            #expect(try ledger.find(SpoolName("b.jsonl"), file.identity) == nil)
        }
    }

    @Test func test_ledgerRowsAreForgottenInRunsOfConsecutiveIDs() {
        #expect(IngestLedger.runs(of: []) == [])
        #expect(IngestLedger.runs(of: [7, 3, 4, 5, 9, 8, 12, 4]) == [3...5, 7...9, 12...12])
    }

    @Test func test_aFileDoneButNotMovedIsOnlyMovedOnTheNextRun() throws {
        let workspace = try Workspace()
        workspace.drop("a.json", PayloadBuilder(id: 1).json)
        try workspace.ingest()
        // Put the processed file back with the ledger row its commit wrote, as if the run had died
        // between that commit and the move (a run that moves its files forgets their rows).
        try FileManager.default.moveItem(atPath: workspace.directory.path + "/spool/processed/a.json",
                                         toPath: workspace.directory.path + "/spool/a.json")
        guard case let .opened(file) = SpoolFile.open(SpoolName("a.json"), in: workspace.spool) else {
            Issue.record("the file put back does not open")
            return
        }
        try workspace.store.pool.write { db in
            var entry = IngestLedger.unclaimed(file.name, file.identity)
            entry.outcome = .processed
            entry.counts.accepted = 1
            try IngestLedger(db).save(&entry, at: workspace.clock.now(), finished: true)
        }
        let report = try workspace.ingest()
        #expect(report.files == 0)
        #expect(report.duplicates == 0)
        #expect(workspace.directory.files(in: "spool/processed") == ["a.json"])
        #expect(try workspace.count("SELECT count(*) FROM ingest_files") == 0, "moved now, its row is forgotten")
    }

    @Test func test_aReusedNameIsArchivedBesideTheEarlierFile() throws {
        let workspace = try Workspace()
        workspace.drop("a.json", PayloadBuilder(id: 1).json)
        try workspace.ingest()
        workspace.drop("a.json", PayloadBuilder(id: 2).json)
        #expect(try workspace.ingest().accepted == 1)
        #expect(workspace.directory.files(in: "spool/processed") == ["a.json", "a.json.1"])
    }

    @Test func test_fifosAndSymlinksAreQuarantinedNotFollowed() throws {
        let workspace = try Workspace()
        let spool = workspace.directory.path + "/spool"
        #expect(mkfifo(spool + "/pipe.json", 0o600) == 0)
        workspace.directory.write("outside.json", PayloadBuilder(id: 1).json)
        try FileManager.default.createSymbolicLink(atPath: spool + "/link.json", withDestinationPath: workspace.directory.path + "/outside.json")
        workspace.drop("real.json", PayloadBuilder(id: 2).json)
        let report = try workspace.ingest()
        #expect(report.accepted == 1)
        #expect(report.rejected == 2)
        #expect(Set(report.notes.map(\.reason)) == ["is a FIFO, not a regular file",
                                                    "is a symbolic link; producers must rename a regular file into the spool"])
        #expect(workspace.directory.files(in: "spool/failed") == ["link.json", "link.json.error.json", "pipe.json", "pipe.json.error.json"])
        #expect(workspace.directory.read("outside.json") == PayloadBuilder(id: 1).json, "the link's target is untouched")
    }

    /// The backlog the UI header counts follows the same rule as the pass: a link and a FIFO wait in
    /// the spool as entries, and once moved to failed/ they count there as files do (sidecars aside).
    @Test func test_spoolEntriesCountLinksAndFIFOsWaitingAndInFailed() throws {
        let workspace = try Workspace()
        let spool = workspace.directory.path + "/spool"
        #expect(mkfifo(spool + "/pipe.json", 0o600) == 0)
        workspace.directory.write("outside.json", PayloadBuilder(id: 1).json)
        try FileManager.default.createSymbolicLink(atPath: spool + "/link.json", withDestinationPath: workspace.directory.path + "/outside.json")
        workspace.drop("real.json", PayloadBuilder(id: 2).json)
        workspace.drop("bad.json", "{")
        workspace.drop("notes.txt", "not a payload")
        workspace.drop(".hidden.json", PayloadBuilder(id: 3).json)
        try FileManager.default.createDirectory(atPath: spool + "/folder.json", withIntermediateDirectories: true)
        #expect(SpoolEntries.waiting(inSpool: spool) == 4, "pipe, link, real and bad: what the pass takes up")
        #expect(SpoolEntries.failed(inSpool: spool) == 0)
        try workspace.ingest()
        #expect(SpoolEntries.waiting(inSpool: spool) == 0)
        #expect(SpoolEntries.failed(inSpool: spool) == 3, "the link, the FIFO and the refused file, not their sidecars: \(workspace.directory.files(in: "spool/failed"))")
    }

    @Test func test_nonUTF8NamesAreIngestedAndReportedReadably() throws {
        let workspace = try Workspace()
        let name: [UInt8] = Array("bad-".utf8) + [0xFF] + Array(" name.json".utf8)
        let path = Array((workspace.directory.path + "/spool/").utf8) + name
        // Foundation cannot spell this name; create it through the byte path.
        let fd = (path + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o600) }
        }
        #expect(fd >= 0)
        let bytes = Array("{broken".utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        let report = try workspace.ingest()
        #expect(report.notes.first?.file == "bad-\u{FFFD} name.json")
        #expect(workspace.directory.files(in: "spool/failed").count >= 2)
    }

    @Test func test_onlyOneIngesterHoldsASpool() throws {
        let workspace = try Workspace()
        let first = try SpoolIngestor(store: workspace.store, spool: workspace.spool)
        #expect(throws: SpoolError.busy(path: workspace.spool.path)) {
            _ = try SpoolIngestor(store: workspace.store, spool: workspace.spool)
        }
        _ = first
    }

    @Test func test_watcherWakesWhenAFileIsRenamedIn() throws {
        let workspace = try Workspace()
        let watcher = try SpoolWatcher(path: workspace.spool.path)
        #expect(watcher.wait(timeout: 0.05) == .timedOut)
        workspace.directory.write("spool/.x.json.tmp", "{}")
        try FileManager.default.moveItem(atPath: workspace.directory.path + "/spool/.x.json.tmp",
                                         toPath: workspace.directory.path + "/spool/x.json")
        #expect(watcher.wait(timeout: 5) == .changed)
        watcher.stop()
        #expect(watcher.wait(timeout: 5) == .stopped)
    }
}
