import Foundation
import Logging
import Testing
@testable import TriageEngine
import TriageTestSupport

@Suite struct SpoolMoverTests {
    @Test func test_movesHappenInOrderAndDrainWaitsForThem() throws {
        let workspace = try Workspace()
        for name in ["a.json", "b.json", "c.json"] { workspace.drop(name, "{}") }
        let mover = SpoolMover(spool: workspace.spool)
        mover.move([SpoolMove(name: SpoolName("a.json"), destination: workspace.spool.processed),
                    SpoolMove(name: SpoolName("b.json"), destination: workspace.spool.failed)])
        mover.move([SpoolMove(name: SpoolName("c.json"), destination: workspace.spool.processed)])
        try mover.drain()
        #expect(workspace.directory.files(in: "spool/processed") == ["a.json", "c.json"])
        #expect(workspace.directory.files(in: "spool/failed") == ["b.json"])
    }

    @Test func test_aFailedMoveIsThrownByDrainAndLaterMovesWaitForTheNextPass() throws {
        let workspace = try Workspace()
        for name in ["a.json", "b.json"] { workspace.drop(name, "{}") }
        let mover = SpoolMover(spool: workspace.spool)
        mover.move([SpoolMove(name: SpoolName("a.json"), destination: -1)])
        mover.move([SpoolMove(name: SpoolName("b.json"), destination: workspace.spool.processed)])
        #expect(throws: SpoolError.self) { try mover.drain() }
        #expect(workspace.directory.files(in: "spool/processed").isEmpty, "nothing moves after a failure")
        mover.move([SpoolMove(name: SpoolName("b.json"), destination: workspace.spool.processed)])
        try mover.drain()
        #expect(workspace.directory.files(in: "spool/processed") == ["b.json"], "drain clears the failure")
    }
}

@Suite struct FilePrefetchTests {
    @Test func test_filesReadAheadAndFilesTooBigToReadAheadEndTheSame() throws {
        let workspace = try Workspace()
        let big = PayloadBuilder(id: 9, fingerprint: "big").with("evidence_data", "{\"blob\":\"\(String(repeating: "x", count: 200_000))\"}").json
        #expect(big.utf8.count > FilePrefetch.maxBytesReadAhead)
        workspace.drop("m-big.json", big)
        for index in 0..<(FilePrefetch.depth + 10) {
            workspace.drop(String(format: "f%03d.json", index), PayloadBuilder(id: 100 + index, fingerprint: "small-\(index % 3)").json)
        }
        workspace.drop("f005.jsonl", PayloadBuilder(id: 500).json + "\n" + PayloadBuilder(id: 501).json)
        workspace.drop("z-bad.json", "{\"id\": nope}")
        let report = try workspace.ingest()
        #expect(report.accepted == FilePrefetch.depth + 10 + 1 + 2)
        #expect(report.rejected == 1)
        #expect(workspace.directory.files(in: "spool").filter { !$0.hasPrefix(".") }.sorted() == ["failed", "processed"])
        let group = try workspace.store.group(try #require(try workspace.groups().first { $0.fingerprint == "big" }).shortID)
        let stored = try #require(try workspace.store.details(of: group.id, occurrence: 0).payload)
        #expect(String(decoding: stored, as: UTF8.self) == big, "the payload read by the writer is stored as received")
    }

    @Test func test_hundredsOfFilesReadAheadHoldNoDescriptorOpen() throws {
        let workspace = try Workspace()
        let count = 2_000
        for index in 0..<count {
            workspace.drop(String(format: "f%05d.json", index), PayloadBuilder(id: index, fingerprint: "fp-\(index % 40)").json)
        }
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        var polls = 0
        var openDescriptors: [Int] = []
        let report = try SpoolIngestor(store: workspace.store, spool: workspace.spool, logger: quiet).ingestAvailable {
            polls += 1
            // Past the first window, with the writer held up, the decode queue reads hundreds of
            // files ahead of it.
            if polls % 250 == 0 {
                Thread.sleep(forTimeInterval: 0.3)
                openDescriptors.append((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0)
            }
            return false
        }
        #expect(report.accepted == count)
        #expect(workspace.directory.files(in: "spool/processed").count == count)
        #expect(!openDescriptors.isEmpty && openDescriptors.allSatisfy { $0 < FilePrefetch.maxJSONFilesAhead / 4 },
                "descriptors open while files were read ahead: \(openDescriptors)")
    }
}

@Suite struct LineFilePrefetchTests {
    private func lines(_ ids: Range<Int>) -> String {
        ids.map { PayloadBuilder(id: $0, fingerprint: "fp-\($0 % 5)").json }.joined(separator: "\n") + "\n"
    }

    @Test func test_lineFilesReadAheadOfTheWriterAreEachIngestedWholeAndOnce() throws {
        let workspace = try Workspace()
        // Several batches a file (DecodeAhead.maxLines), files one after another, a `.json` between.
        workspace.drop("a.jsonl", lines(0..<600))
        workspace.drop("b.jsonl", lines(600..<1_300))
        workspace.drop("c.json", PayloadBuilder(id: 5_000).json)
        workspace.drop("d.jsonl", "")
        workspace.drop("e.jsonl", "\n" + lines(1_300..<1_557) + "\n")
        let report = try workspace.ingest()
        #expect(report.accepted == 1_558)
        #expect(report.duplicates == 0)
        #expect(try workspace.count("SELECT count(DISTINCT id) FROM occurrence_ids") == 1_558)
        #expect(workspace.directory.files(in: "spool/processed") == ["a.jsonl", "b.jsonl", "c.json", "d.jsonl", "e.jsonl"])
    }

    @Test func test_aLineFileLeftHalfDoneIsReadOnFromWhereItStoppedThoughReadAheadFromItsStart() throws {
        let workspace = try Workspace()
        workspace.drop("a.jsonl", lines(0..<1_000))
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        var polls = 0
        let first = try SpoolIngestor(store: workspace.store, spool: workspace.spool, logger: quiet).ingestAvailable {
            polls += 1
            return polls > 300
        }
        #expect(first.interrupted)
        #expect(first.accepted > 0 && first.accepted < 1_000)
        let second = try workspace.ingest()
        #expect(first.accepted + second.accepted == 1_000)
        #expect(second.duplicates == 0, "not read again from the start")
        #expect(workspace.directory.files(in: "spool/processed") == ["a.jsonl"])
    }
}
