import GRDB
import Testing
@testable import TriageEngine
import TriageDemo
import TriageTestSupport

/// Rows wait in memory for the flush only up to `IngestMemory.stagedBytes` of payload (16 MiB by default): a transaction
/// of large payloads writes them early, and comes out as one flush would have left it.
@Suite struct StagedFlushTests {
    static let t0 = 1_790_000_000.0

    /// ~900 KB of random hex in evidence_data: compressed, still over 400 KB.
    private func largePayload(_ id: Int, fingerprint: String) -> PayloadBuilder {
        var random = SplitMix64(seed: UInt64(id))
        let digits = Array("0123456789abcdef".utf8)
        var hex = [UInt8]()
        hex.reserveCapacity(900_000)
        while hex.count < 900_000 {
            var word = random.next()
            for _ in 0..<16 {
                hex.append(digits[Int(word & 0xF)])
                word >>= 4
            }
        }
        return PayloadBuilder(id: id, fingerprint: fingerprint, time: Self.t0 + Double(id) * 60)
            .with("evidence_data", #"{"blob":"\#(String(decoding: hex, as: UTF8.self))"}"#)
    }

    @Test func test_stagedRowsPastTheByteLimitAreWrittenBeforeTheFlush() throws {
        let workspace = try Workspace(now: Self.t0 + 7200)
        let decoder = PayloadDecoder(registry: .builtIn)
        var visibleBeforeFlush: [Int] = []
        try workspace.store.pool.write { db in
            let writer = try IngestWriter(session: SQLiteIngestSession(db: db, settings: EngineSettings()), decoder: decoder, cache: GroupKeyCache(),
                                          now: Self.t0 + 7200)
            for id in 1...45 {
                guard case let .occurrence(occurrence) = try decoder.decode(largePayload(id, fingerprint: "big").bytes) else {
                    Issue.record("payload \(id) is not an occurrence")
                    return
                }
                _ = try writer.ingest(occurrence)
                visibleBeforeFlush.append(try Int.fetchOne(db, sql: "SELECT count(*) FROM occurrences") ?? -1)
            }
            try writer.flush()
        }
        #expect(visibleBeforeFlush.first == 0, "one large payload waits for the flush")
        #expect(visibleBeforeFlush.contains { $0 > 0 }, "past 16 MiB staged, rows are written before the flush")
        #expect(try workspace.count("SELECT count(*) FROM occurrences") == 45)
        #expect(try workspace.count("SELECT times_seen FROM groups") == 45, "counted once, not once per flush")
    }

    @Test func test_retentionAcrossAnEarlyFlushKeepsTheNewest() throws {
        var settings = EngineSettings()
        settings.keepOccurrences = 5
        let workspace = try Workspace(settings: settings, now: Self.t0 + 7200)
        // Arrival order is not time order, and a second group's rows are staged in between.
        var random = SplitMix64(seed: 7)
        let ids = Array(1...40).shuffled(using: &random)
        workspace.drop("big.jsonl", ids.map { largePayload($0, fingerprint: $0 % 4 == 0 ? "other" : "big").json }.joined(separator: "\n"))
        let report = try workspace.ingest(batchRows: 1_000_000)
        #expect(report.accepted == 40)
        #expect(try workspace.count("SELECT sum(times_seen) FROM groups") == 40)
        let kept = try workspace.store.read { db in
            try Double.fetchAll(db, sql: """
                SELECT o.detection_time FROM occurrences o JOIN groups g ON g.id = o.group_id
                WHERE g.fingerprint = 'big' ORDER BY o.detection_time
                """)
        }
        let newestBig = (1...40).filter { $0 % 4 != 0 }.suffix(5).map { Self.t0 + Double($0) * 60 }
        #expect(kept == newestBig, "the group's five newest, whichever flush staged them")
        #expect(try workspace.count("SELECT retired FROM groups WHERE fingerprint = 'big'") == 25)
        #expect(try workspace.count("SELECT count(*) FROM occurrence_ids") == 40)
    }
}
