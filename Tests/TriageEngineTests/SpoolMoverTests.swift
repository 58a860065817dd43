import Testing
@testable import TriageEngine

@Suite struct SpoolMoverTests {
    @Test func test_movesHappenInOrderAndDrainWaitsForThem() throws {
        let workspace = try Workspace()
        for name in ["a.json", "b.json", "c.json"] { workspace.drop(name, "{}") }
        let mover = SpoolMover(spool: workspace.spool)
        mover.move([(SpoolName("a.json"), workspace.spool.processed), (SpoolName("b.json"), workspace.spool.failed)])
        mover.move([(SpoolName("c.json"), workspace.spool.processed)])
        try mover.drain()
        #expect(workspace.directory.files(in: "spool/processed") == ["a.json", "c.json"])
        #expect(workspace.directory.files(in: "spool/failed") == ["b.json"])
    }

    @Test func test_aFailedMoveIsThrownByDrainAndLaterMovesWaitForTheNextPass() throws {
        let workspace = try Workspace()
        for name in ["a.json", "b.json"] { workspace.drop(name, "{}") }
        let mover = SpoolMover(spool: workspace.spool)
        mover.move([(SpoolName("a.json"), -1)])
        mover.move([(SpoolName("b.json"), workspace.spool.processed)])
        #expect(throws: SpoolError.self) { try mover.drain() }
        #expect(workspace.directory.files(in: "spool/processed").isEmpty, "nothing moves after a failure")
        mover.move([(SpoolName("b.json"), workspace.spool.processed)])
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
}
