import Foundation
import GRDB
import Logging
import Testing
@testable import TriageEngine
import TriageTestSupport

/// What a spool must survive besides bad payloads: bookkeeping a kill left behind, a stage that
/// fails for one payload, a file that grows after it was read.
@Suite struct SpoolRecoveryTests {
    private func identity(_ path: String) throws -> FileIdentity {
        var info = stat()
        #expect(stat(path, &info) == 0)
        return FileIdentity(info)
    }

    @Test func test_aRefusedFileMovedBackAfterAKillLeftItsLedgerRowIsNewWork() throws {
        let workspace = try Workspace()
        let spool = workspace.directory.path + "/spool"
        workspace.drop("a.json", "{bad")
        let claimed = try identity(spool + "/a.json")
        #expect(try workspace.ingest().rejected == 1)
        // A kill after the move and before the ledger forgot the file leaves its row as it was.
        try workspace.store.pool.write { db in
            var entry = IngestLedger.unclaimed(SpoolName("a.json"), claimed)
            entry.outcome = .failed
            entry.byteOffset = claimed.size
            try IngestLedger(db, preloadLimit: 0).save(&entry, at: 0, finished: true)
        }
        // The operator puts it back, as it was, for another try.
        try FileManager.default.removeItem(atPath: spool + "/failed/a.json.error.json")
        #expect(rename(spool + "/failed/a.json", spool + "/a.json") == 0)
        let report = try workspace.ingest()
        #expect(report.files == 1, "ingested again, not moved straight back")
        #expect(report.rejected == 1)
        #expect(workspace.directory.files(in: "spool/failed") == ["a.json", "a.json.error.json"])
    }

    @Test func test_aStoredFileMovedBackAfterAKillLeftItsCommitRecordIsNewWork() throws {
        let workspace = try Workspace()
        let spool = workspace.directory.path + "/spool"
        workspace.drop("b.json", PayloadBuilder(id: 1).json)
        let claimed = try identity(spool + "/b.json")
        #expect(try workspace.ingest().accepted == 1)
        try workspace.store.pool.write { db in
            _ = try PendingMoves.record([FinishedFile(name: SpoolName("b.json"), identity: claimed, outcome: .processed)],
                                        of: workspace.spool.identity, in: db)
        }
        #expect(rename(spool + "/processed/b.json", spool + "/b.json") == 0)
        let report = try workspace.ingest()
        #expect(report.files == 1)
        #expect(report.duplicates == 1, "read again: its occurrence is known")
        #expect(workspace.directory.files(in: "spool/processed") == ["b.json"])
    }

    @Test func test_aPayloadThatMakesTheWriterFailIsQuarantinedAndTheRestFlows() throws {
        let workspace = try Workspace()
        let poison = PayloadBuilder(id: 2, fingerprint: "fp-2")
        workspace.drop("1.jsonl", [PayloadBuilder(id: 1, fingerprint: "fp-1").json, poison.json, PayloadBuilder(id: 3, fingerprint: "fp-3").json].joined(separator: "\n"))
        workspace.drop("2.json", PayloadBuilder(id: 4, fingerprint: "fp-4").json)
        struct Injected: Error, CustomStringConvertible { var description: String { "injected failure" } }
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let ingestor = try SpoolIngestor(store: workspace.store, spool: workspace.spool, logger: quiet)
        // After the writer has applied the payload: whatever it changed must not stay.
        ingestor.hooks.afterWrite = { occurrence in
            if occurrence.fingerprint.first == "fp-2" { throw Injected() }
        }
        let report = try ingestor.ingestAvailable()
        #expect(report.accepted == 3)
        #expect(report.rejected == 1)
        #expect(report.notes.map(\.description) == ["1.jsonl:2: could not be stored: injected failure"])
        #expect(try workspace.count("SELECT count(*) FROM occurrences") == 3)
        #expect(try workspace.groups("").count == 3, "the poisoned payload left no group behind")
        #expect(workspace.directory.read("spool/failed/1.jsonl") == poison.json + "\n")
        #expect(workspace.directory.files(in: "spool/processed") == ["1.jsonl", "2.json"])
    }
}

extension SpoolRecoveryTests {
    @Test func test_linesAppendedAfterTheReaderReachedTheEndAreReadBeforeTheFileMoves() throws {
        let workspace = try Workspace()
        let path = workspace.directory.path + "/spool/grow.jsonl"
        workspace.drop("grow.jsonl", PayloadBuilder(id: 1, fingerprint: "fp-1").json + "\n")
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let ingestor = try SpoolIngestor(store: workspace.store, spool: workspace.spool, logger: quiet)
        var appended = false
        // A producer writing in place, just after the reader saw the end.
        ingestor.hooks.afterReadingLines = { _ in
            guard !appended, let handle = FileHandle(forWritingAtPath: path) else { return }
            appended = true
            handle.seekToEndOfFile()
            handle.write(Data((PayloadBuilder(id: 2, fingerprint: "fp-2").json + "\n").utf8))
            handle.closeFile()
        }
        let report = try ingestor.ingestAvailable()
        #expect(appended)
        #expect(report.accepted == 2, "the appended line was read before the file moved")
        #expect(workspace.directory.files(in: "spool/processed") == ["grow.jsonl"])
    }

    @Test func test_aFileThatGrewAfterItWasReadIsNotMovedUnread() throws {
        let workspace = try Workspace()
        workspace.drop("a.jsonl", "12345")
        let mover = SpoolMover(spool: workspace.spool)
        mover.move([SpoolMove(name: SpoolName("a.jsonl"), destination: workspace.spool.processed, expectedSize: 3)])
        try mover.drain()
        #expect(workspace.directory.files(in: "spool").contains("a.jsonl"), "left for the next pass")
        #expect(workspace.directory.files(in: "spool/processed").isEmpty)
    }
}
