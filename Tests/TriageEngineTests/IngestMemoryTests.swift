import Foundation
import GRDB
import Logging
import Testing
@testable import TriageEngine
import TriageTestSupport

/// The TUI ingests a followed spool with `IngestMemory.interactive`: less read ahead, a smaller
/// writer cache, earlier flushes. The same spool must come out the same, only with less memory held.
@Suite struct IngestMemoryTests {
    /// Twelve `.jsonl` files of ~300 KB, 30 groups, with a status change and bad lines among them.
    private func dropFlood(into workspace: Workspace) {
        for file in 0..<12 {
            var lines = (0..<700).map { PayloadBuilder(id: file * 1_000 + $0, fingerprint: "fp-\(($0 * 7 + file) % 30)", time: 1_790_000_000 + Double(file * 1_000 + $0)).json }
            lines[350] = #"{"id": "not closed""#
            if file == 6 { lines[10] = #"{"payload_type":"status_change","fingerprint":["fp-3"],"project_id":1,"new_status":1}"# }
            workspace.drop(String(format: "flood-%02d.jsonl", file), lines.joined(separator: "\n") + "\n")
        }
    }

    private func ingest(_ workspace: Workspace, memory: IngestMemory) throws -> IngestReport {
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        return try SpoolIngestor(store: workspace.store, spool: workspace.spool, logger: quiet, memory: memory).ingestAvailable()
    }

    /// What a store says about its groups and occurrences, to compare two stores by.
    private func contents(_ workspace: Workspace) throws -> [String] {
        try workspace.store.read { db in
            try String.fetchAll(db, sql: """
                SELECT fingerprint || ' ' || times_seen || ' ' || status || ' ' || first_seen || ' ' || last_seen || ' ' || title FROM groups ORDER BY fingerprint
                """)
            + String.fetchAll(db, sql: "SELECT hex(id) || ' ' || group_id FROM occurrences ORDER BY seq")
        }
    }

    @Test func test_aFloodIngestedOnTheInteractiveBudgetStoresWhatTheThroughputOneDoes() throws {
        let interactive = try Workspace()
        let throughput = try Workspace()
        dropFlood(into: interactive)
        dropFlood(into: throughput)
        let small = try ingest(interactive, memory: .interactive)
        let large = try ingest(throughput, memory: .throughput)
        #expect(small.accepted == 12 * 699 - 1 && small.rejected == 12 && small.statusChanges == 1)
        #expect(small.accepted == large.accepted && small.rejected == large.rejected && small.statusChanges == large.statusChanges)
        let stored = try contents(interactive)
        #expect(stored.count == 30 + 30 * EngineSettings().keepOccurrences!, "each group's newest, as retention keeps")
        #expect(stored == (try contents(throughput)))
    }

    @Test func test_theInteractiveBudgetSetsTheWritersCacheAndReadsLessAhead() throws {
        let workspace = try Workspace()
        dropFlood(into: workspace)
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let ingestor = try SpoolIngestor(store: workspace.store, spool: workspace.spool, logger: quiet, memory: .interactive)
        #expect(try workspace.store.pool.write { try Int.fetchOne($0, sql: "PRAGMA cache_size") } == -(IngestMemory.interactive.writerCacheBytes >> 10))
        let names = try workspace.spool.readyFiles().ready
        var ahead: [Int64] = []
        for memory in [IngestMemory.interactive, .throughput] {
            let prefetch = FilePrefetch(names, spool: workspace.spool, decodeAhead: DecodeAhead(decoder: ingestor.decoder),
                                        maxPayloadBytes: ingestor.decoder.limits.maxPayloadBytes, memory: memory, readFarAhead: { true })
            ahead.append(prefetch.lineBytesInFlight)
            #expect(prefetch.lineBytesInFlight <= memory.lineBytesAhead)
        }
        // ~3.6 MB of lines: the throughput budget asks for all of it, the interactive one for a few files.
        #expect(ahead[0] > 0 && ahead[0] * 2 < ahead[1], "read ahead: interactive \(ahead[0]) bytes, throughput \(ahead[1])")
    }
}
