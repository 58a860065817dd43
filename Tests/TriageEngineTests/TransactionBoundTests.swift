import Logging
import Testing
@testable import TriageEngine
import TriageTestSupport

/// A long pass commits by time as well as by rows, so readers (the TUI) see a flood as it lands.
@Suite struct TransactionBoundTests {
    /// Occurrences a second connection sees committed, sampled each time the pass polls; by default
    /// over one file of 300 lines.
    private func committedWhileIngesting(longestTransaction: Double, drop: (Workspace) -> Void = { workspace in
        workspace.drop("flood.jsonl", (1...300).map { PayloadBuilder(id: $0, fingerprint: "f\($0 % 7)").json }.joined(separator: "\n"))
    }) throws -> (during: [Int], after: Int) {
        let workspace = try Workspace()
        drop(workspace)
        let observer = try SQLiteStore(path: workspace.store.path, clock: workspace.clock)
        func committed() -> Int { (try? observer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM occurrences") ?? 0 }) ?? -1 }
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let ingestor = try SpoolIngestor(store: workspace.store, spool: workspace.spool, logger: quiet, batchRows: 1_000_000,
                                         longestTransaction: longestTransaction)
        var during: [Int] = []
        _ = try ingestor.ingestAvailable(shouldStop: {
            during.append(committed())
            return false
        })
        return (during, committed())
    }

    @Test func test_aPassOverItsTimeCommitsAsItGoes() throws {
        let (during, after) = try committedWhileIngesting(longestTransaction: 0)
        #expect(after == 300)
        #expect(during.contains { $0 > 0 && $0 < 300 }, "readers saw part of the file before the pass ended")
    }

    @Test func test_aQuickPassCommitsOnceAtTheEnd() throws {
        let (during, after) = try committedWhileIngesting(longestTransaction: 3600)
        #expect(after == 300)
        #expect(during.allSatisfy { $0 == 0 }, "one transaction: nothing visible until it commits")
    }

    /// Files move out of the spool only after their commit, so a pass commits once a transaction
    /// holds more files than are left to begin (and at least 256): with 600 files, after the 300th
    /// and then after 256 more, leaving 44 for the moves after the last commit.
    @Test func test_manyFilesCommitBeforeTheEndSoTheirMovesStartEarly() throws {
        let (during, after) = try committedWhileIngesting(longestTransaction: 3600) { workspace in
            for id in 1...600 { workspace.drop(String(format: "p-%04d.json", id), PayloadBuilder(id: id, fingerprint: "f\(id % 7)").json) }
        }
        #expect(after == 600)
        #expect(Array(Set(during)).sorted() == [0, 300, 556])
    }

    @Test func test_aFewFilesStillCommitOnceAtTheEnd() throws {
        let (during, after) = try committedWhileIngesting(longestTransaction: 3600) { workspace in
            for id in 1...200 { workspace.drop(String(format: "p-%04d.json", id), PayloadBuilder(id: id, fingerprint: "f\(id % 7)").json) }
        }
        #expect(after == 200)
        #expect(during.allSatisfy { $0 == 0 }, "below 256 files a commit would cost more than the moves it starts early")
    }
}
