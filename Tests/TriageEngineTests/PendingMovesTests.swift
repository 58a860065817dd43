import Foundation
import GRDB
import Logging
import Testing
@testable import TriageEngine
import TriageTestSupport

/// Files finished within one transaction are recorded by their commit, not by a ledger row each,
/// until they have left the spool (`PendingMoves`).
@Suite struct PendingMovesTests {
    @Test func test_eachCommitRecordsTheFilesItFinishedUntilTheyHaveMoved() throws {
        let workspace = try Workspace()
        let names = (1...7).map { "p\($0).json" }
        for (index, name) in names.enumerated() { workspace.drop(name, PayloadBuilder(id: index + 1).json) }
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        // Two payloads a transaction: a commit after every second file. Between files, the records
        // committed so far are read through another connection.
        let ingestor = try SpoolIngestor(store: workspace.store, spool: workspace.spool, logger: quiet, batchRows: 2)
        var recorded: [String: FileOutcome] = [:]
        var failure: (any Error)?
        let report = try ingestor.ingestAvailable {
            do {
                for record in try workspace.store.read({ try PendingMoves.unfinished(of: workspace.spool.identity, in: $0) }) {
                    for file in record.files { recorded[file.name.description] = file.outcome }
                }
            } catch {
                failure = error
            }
            return false
        }
        #expect(failure == nil)
        #expect(report.accepted == 7)
        #expect(recorded.keys.sorted() == names.dropLast(1).sorted(), "the first six were committed while files were left to begin")
        #expect(recorded.values.allSatisfy { $0 == .processed })
        #expect(try workspace.count("SELECT count(*) FROM ingest_files") == 0, "no file had a ledger row of its own")
        #expect(try workspace.count("SELECT count(*) FROM ingest_moves") == 0, "the records go once the files have moved")
        #expect(workspace.directory.files(in: "spool/processed") == names.sorted())
    }

    @Test func test_aFileCommittedButNotMovedIsMovedByTheNextRunNotIngestedAgain() throws {
        let workspace = try committedButNotMoved()
        // b.json is rewritten: another file by that name.
        workspace.drop("b.json", PayloadBuilder(id: 3).json + " ")

        let report = try workspace.ingest()
        #expect(report.files == 1, "only the rewritten b.json is ingested")
        #expect(report.accepted == 1 && report.duplicates == 0)
        #expect(try workspace.count("SELECT sum(times_seen) FROM groups") == 3)
        #expect(workspace.directory.files(in: "spool/processed") == ["a.json", "b.json"])
        #expect(try workspace.count("SELECT count(*) FROM ingest_moves") == 0)
    }

    @Test func test_aRecordedFileThatWillNotMoveGetsALedgerRowAndTheSpoolKeepsFlowing() throws {
        let workspace = try committedButNotMoved()
        struct Refused: Error {}
        let finished = try PendingMoves.finishMoves(in: workspace.spool, store: workspace.store) { file in
            if file.name == SpoolName("b.json") { throw Refused() }
        }
        #expect(finished.moved == 1 && finished.unmoved == 1)
        #expect(try workspace.count("SELECT count(*) FROM ingest_files WHERE name = CAST('b.json' AS BLOB) AND outcome = 'processed'") == 1,
                "the file that did not move is done in the ledger instead")
        #expect(try workspace.count("SELECT count(*) FROM ingest_moves") == 0)

        workspace.drop("c.json", PayloadBuilder(id: 3).json)
        let report = try workspace.ingest()
        #expect(report.files == 1 && report.accepted == 1 && report.duplicates == 0, "only the new file is ingested")
        #expect(workspace.directory.files(in: "spool/processed") == ["a.json", "b.json", "c.json"])
        #expect(try workspace.count("SELECT count(*) FROM ingest_files") == 0)
    }

    @Test func test_anotherSpoolsRecordsAreLeftToItsOwnIngester() throws {
        let workspace = try Workspace()
        workspace.drop("a.json", PayloadBuilder(id: 1).json)
        let identity = try #require(workspace.spool.identity(of: SpoolName("a.json")))
        let elsewhere = SpoolIdentity(device: workspace.spool.identity.device, inode: workspace.spool.identity.inode + 1)
        try workspace.store.write {
            _ = try PendingMoves.record([FinishedFile(name: SpoolName("a.json"), identity: identity, outcome: .processed)], of: elsewhere, in: $0)
        }
        #expect(try workspace.ingest().accepted == 1, "a record of another spool says nothing of this one's files")
        #expect(try workspace.count("SELECT count(*) FROM ingest_moves") == 1, "and is not this ingester's to forget")
    }

    /// a.json and b.json ingested, then as if the run had died between its commit and the moves:
    /// both back in the spool, with the record that commit wrote.
    private func committedButNotMoved() throws -> Workspace {
        let workspace = try Workspace()
        workspace.drop("a.json", PayloadBuilder(id: 1).json)
        workspace.drop("b.json", PayloadBuilder(id: 2).json)
        #expect(try workspace.ingest().accepted == 2)
        let files = try ["a.json", "b.json"].map { name in
            try FileManager.default.moveItem(atPath: workspace.directory.path + "/spool/processed/" + name,
                                             toPath: workspace.directory.path + "/spool/" + name)
            return FinishedFile(name: SpoolName(name), identity: try #require(workspace.spool.identity(of: SpoolName(name))), outcome: .processed)
        }
        try workspace.store.write { _ = try PendingMoves.record(files, of: workspace.spool.identity, in: $0) }
        return workspace
    }

    @Test func test_aRecordReadsBackAsWrittenAndADamagedOneIsRefused() {
        let files = [
            FinishedFile(name: SpoolName("a.json"), identity: FileIdentity(device: 1, inode: 2, size: 3, mtimeNanoseconds: -4, ctimeNanoseconds: 6),
                         outcome: .processed),
            FinishedFile(name: SpoolName([0xFF, 0x00, 0x41]), identity: FileIdentity(device: .max, inode: .min, size: 0, mtimeNanoseconds: 5),
                         outcome: .failed),
        ]
        let bytes = PendingMoves.encode(files)
        #expect(PendingMoves.decode(bytes) == files)
        #expect(PendingMoves.decode([]) == [])
        #expect(PendingMoves.decode(Array(bytes.dropLast())) == nil, "cut short")
        #expect(PendingMoves.decode([4] + bytes.dropFirst()) == nil, "not an outcome")
        // A record from before change times were kept: its file is read again rather than moved.
        let earlier: [UInt8] = [0, 6, 0] + Array("a.json".utf8) + [UInt8](repeating: 1, count: 32)
        #expect(PendingMoves.decode(earlier)?.map(\.identity.ctimeNanoseconds) == [.min])
        #expect(PendingMoves.decode(bytes + [0, 0xFF, 0xFF]) == nil, "a name longer than what is left")
    }
}
