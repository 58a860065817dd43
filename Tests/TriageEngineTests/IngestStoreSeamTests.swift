import TriageTestSupport
import Foundation
import Logging
import Testing
@testable import TriageEngine

/// The pipeline writes to whatever implements `IngestStore`: here a store it knows only through the
/// protocol, which hands each request to SQLite and notes what was asked.
@Suite struct IngestStoreSeamTests {
    private final class ObservedStore: IngestStore, @unchecked Sendable {
        let base: SQLiteStore
        private(set) var sessions = 0
        private(set) var ruleRuns = 0

        init(_ base: SQLiteStore) { self.base = base }

        var registry: GroupTypeRegistry { base.registry }
        var settings: EngineSettings { base.settings }
        var clock: any TriageClock { base.clock }
        func prepareWriter(_ memory: IngestMemory) throws { try base.prepareWriter(memory) }
        func withIngestSession<T>(_ body: (any IngestSession) throws -> T) throws -> T {
            sessions += 1
            return try base.withIngestSession(body)
        }
        func applyRules() throws -> Int {
            ruleRuns += 1
            return try base.applyRules()
        }
        func blamesThePayload(_ error: any Error) -> Bool { base.blamesThePayload(error) }
        func unfinishedMoves(of spool: SpoolIdentity) throws -> [(id: Int64, files: [FinishedFile])] { try base.unfinishedMoves(of: spool) }
        func settleMoves(unmoved: [FinishedFile], forgetting ids: [Int64]) throws { try base.settleMoves(unmoved: unmoved, forgetting: ids) }
        func newestHistoryID() throws -> Int64 { try base.newestHistoryID() }
        func transitionCounts(since historyID: Int64) throws -> [(cause: String, count: Int)] { try base.transitionCounts(since: historyID) }
        func persist(_ metrics: TriageMetrics) throws { try base.persist(metrics) }
    }

    @Test func test_thePipelineIngestsIntoAnyIngestStore() throws {
        let workspace = try Workspace()
        let t0 = 1_790_000_000.0
        // Grouped, resolved by a payload, regressed by the next occurrence; one refused; a second group.
        workspace.drop("a.jsonl", [
            PayloadBuilder(id: 1, time: t0 - 600).json,
            statusChangeJSON(status: GroupStatus.resolved.rawValue, substatus: nil),
            PayloadBuilder(id: 2, time: t0 - 300).json,
            "{not json",
            PayloadBuilder(id: 3, fingerprint: "fp-2", time: t0 - 60).json,
        ].joined(separator: "\n"))
        let store = ObservedStore(workspace.store)
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let ingestor = try SpoolIngestor(ingestingInto: store, spool: workspace.spool, limits: .default, logger: quiet, batchRows: 2,
                                         notifications: nil, analytics: .disabled, metrics: nil, longestTransaction: 1,
                                         memory: .throughput, priority: .normal)
        let report = try ingestor.ingestAvailable()
        #expect(report.accepted == 3 && report.rejected == 1 && report.statusChanges == 1 && report.regressions == 1)
        #expect(report.groupsCreated == 2)
        #expect(store.sessions == 1 && store.ruleRuns == 1, "one session for the pass, the time rules once before it")
        let groups = try workspace.groups("")
        #expect(groups.map(\.fingerprint).sorted() == ["fp-1", "fp-2"])
        #expect(groups.first { $0.fingerprint == "fp-1" }?.timesSeen == 2)
        #expect(try workspace.count("SELECT count(*) FROM status_history WHERE cause = 'rule:regression'") == 1)
        #expect(workspace.directory.files(in: "spool/processed") == ["a.jsonl"])
        #expect(try workspace.count("SELECT count(*) FROM ingest_files") == 0, "the ledger is forgotten once the file has moved")
    }
}
