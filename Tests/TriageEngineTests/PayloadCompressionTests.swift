import Foundation
import GRDB
import Testing
@testable import TriageEngine
import TriageTestSupport

/// Stored payloads: verbatim until the store has seen enough to train a dictionary, compressed after,
/// and always read back byte for byte.
@Suite struct PayloadCompressionTests {
    private let count = PayloadCompression.trainingSamples + 2_500
    /// Rows the decode queue prepared before the dictionary reached it: stored verbatim too.
    private let preparedAhead = (LineBatches.depth + 2) * DecodeAhead.maxLines

    private func ingested() throws -> (Workspace, [String]) {
        let workspace = try Workspace()
        let payloads = (0..<count).map {
            PayloadBuilder(id: $0, fingerprint: "fp-\($0 % 50)", time: 1_790_000_000 + Double($0)).json
        }
        workspace.drop("a.jsonl", payloads.joined(separator: "\n"))
        // Commits every 700 rows: training happens mid-pass, between commits of the same file.
        let report = try workspace.ingest(batchRows: 700)
        #expect(report.accepted == count)
        return (workspace, payloads)
    }

    @Test func test_payloadsAfterTheTrainingSamplesAreCompressedAndReadBackExactly() throws {
        let (workspace, payloads) = try ingested()
        #expect(try workspace.count("SELECT count(*) FROM payload_dictionaries") == 1)
        let verbatim = try workspace.count("SELECT count(*) FROM occurrences WHERE payload_dictionary IS NULL")
        #expect((PayloadCompression.trainingSamples...PayloadCompression.trainingSamples + preparedAhead).contains(verbatim), "\(verbatim)")
        let compressed = try workspace.count("SELECT sum(length(payload)) FROM occurrences WHERE payload_dictionary IS NOT NULL")
        let raw = payloads.suffix(count - verbatim).map(\.utf8.count).reduce(0, +)
        #expect(compressed * 3 < raw, "compressed \(compressed) bytes of \(raw)")
        let readBack = try workspace.store.read { db in
            try Row.fetchAll(db, sql: "SELECT id, payload, payload_dictionary FROM occurrences").map { row in
                (id: [UInt8](row["id"] as Data), payload: try workspace.store.payloads.payload(db, stored: [UInt8](row["payload"] as Data), dictionaryID: row["payload_dictionary"]))
            }
        }
        let byID = Dictionary(uniqueKeysWithValues: readBack.map { ($0.id, $0.payload) })
        #expect(payloads.indices.allSatisfy { byID[UUIDBytes(hex: PayloadBuilder.uuid($0)).withUnsafeBytes { Array($0) }] == Array(payloads[$0].utf8) },
                "every payload, verbatim or compressed, reads back exactly")

        let group = try #require(try workspace.groups().first { $0.fingerprint == "fp-0" })
        let perGroup = count / 50
        let newest = try workspace.store.details(of: group.id, occurrence: 0)
        #expect(newest.payload == Array(payloads[count - 50].utf8), "the newest, stored compressed")
        let oldest = try workspace.store.details(of: group.id, occurrence: perGroup - 1)
        #expect(oldest.payload == Array(payloads[0].utf8), "the oldest, stored verbatim")
    }

    @Test func test_aLaterRunCompressesWithTheStoredDictionary() throws {
        let (workspace, _) = try ingested()
        workspace.drop("b.jsonl", PayloadBuilder(id: 900_000, fingerprint: "fp-late").json)
        try workspace.ingest()
        #expect(try workspace.count("SELECT count(*) FROM payload_dictionaries") == 1, "no second dictionary")
        #expect(try workspace.count("SELECT payload_dictionary FROM occurrences ORDER BY seq DESC LIMIT 1") == 1)
        let group = try #require(try workspace.groups().first { $0.fingerprint == "fp-late" })
        #expect(try workspace.store.details(of: group.id).payload == PayloadBuilder(id: 900_000, fingerprint: "fp-late").bytes)
    }

    @Test func test_aDamagedCompressedPayloadIsAClearError() throws {
        let (workspace, _) = try ingested()
        try workspace.store.write { db in
            try db.execute(sql: "UPDATE occurrences SET payload = x'28b52ffd0011' WHERE payload_dictionary IS NOT NULL")
        }
        let group = try #require(try workspace.groups().first { $0.fingerprint == "fp-0" })
        do {
            _ = try workspace.store.details(of: group.id)
            Issue.record("a damaged payload was read")
        } catch let error as StoreError {
            #expect(error.description.contains("cannot be read back"), "\(error)")
        }
    }
}
