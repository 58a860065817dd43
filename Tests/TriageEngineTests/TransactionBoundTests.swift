import Logging
import Testing
@testable import TriageEngine

/// A long pass commits by time as well as by rows, so readers (the TUI) see a flood as it lands.
@Suite struct TransactionBoundTests {
    /// Occurrences a second connection sees committed, sampled each time the pass polls.
    private func committedWhileIngesting(longestTransaction: Double) throws -> (during: [Int], after: Int) {
        let workspace = try Workspace()
        workspace.drop("flood.jsonl", (1...300).map { PayloadBuilder(id: $0, fingerprint: "f\($0 % 7)").json }.joined(separator: "\n"))
        let observer = try SQLiteStore(path: workspace.store.path, clock: workspace.clock)
        func committed() -> Int { (try? observer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM occurrences") ?? 0 }) ?? -1 }
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let ingestor = try SpoolIngestor(store: workspace.store, spool: workspace.spool, logger: quiet, batchRows: 1_000_000,
                                         longestTransaction: longestTransaction)
        var during: [Int] = []
        let report = try ingestor.ingestAvailable(shouldStop: {
            during.append(committed())
            return false
        })
        #expect(report.accepted == 300)
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
}
