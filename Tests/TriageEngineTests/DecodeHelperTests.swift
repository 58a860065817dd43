import Foundation
import GRDB
import Logging
import Testing
@testable import TriageEngine
import TriageTestSupport

/// `triage ingest` decodes every other `.json` file on a helper thread (`DecodeAhead`): what the
/// writer gets must still be each file's own payload, in file order, compressed like the rest.
@Suite struct DecodeHelperTests {
    private static let files = 300

    /// One payload a file; eight of them (every 37th from the sixth) are not JSON.
    private func dropFiles(into workspace: Workspace) {
        for number in 0..<Self.files {
            let name = String(format: "f%04d.json", number)
            workspace.drop(name, number % 37 == 5 ? "{\"id\": " : PayloadBuilder(id: number, fingerprint: "fp-\(number % 20)").json)
        }
    }

    private static func id(_ number: Int) -> UUIDBytes { UUIDBytes(hex: PayloadBuilder.uuid(number)) }

    @Test func test_filesDecodedOnTwoThreadsComeBackInOrderEachItsOwnAndCompressed() throws {
        let workspace = try Workspace()
        // A store with a dictionary: the helper's rows must be compressed with it too.
        workspace.drop("000-train.jsonl", (1_000_000..<(1_000_000 + PayloadCompression.trainingSamples + 100))
            .map { PayloadBuilder(id: $0).json + "\n" }.joined())
        try workspace.ingest()
        let dictionary = try #require(try workspace.store.pool.read { try PayloadCompressor.newest($0)?.dictionary })
        dropFiles(into: workspace)

        let decoder = PayloadDecoder(registry: workspace.store.registry)
        let published = CurrentDictionary()
        published.publish(dictionary, awaiting: false)
        let decodeAhead = DecodeAhead(decoder: decoder, dictionary: published, helper: true)
        let names = try workspace.spool.readyFiles().ready
        #expect(names.count == Self.files)
        let prefetch = FilePrefetch(names, spool: workspace.spool, decodeAhead: decodeAhead, maxPayloadBytes: decoder.limits.maxPayloadBytes,
                                    memory: .throughput, readFarAhead: { true })
        for (number, name) in names.enumerated() {
            let content = try #require(prefetch.take(name), "\(name) was read ahead")
            guard case let .opened(file)? = content.open, file.name == name else {
                Issue.record("\(name): the file handed over is \(String(describing: content.open))")
                continue
            }
            switch content.decoded {
            case let .success((.occurrence(occurrence), prepared))?:
                #expect(number % 37 != 5 && occurrence.idBytes == Self.id(number), "\(name) holds its own payload")
                #expect(prepared?.compressed?.dictionary === dictionary, "\(name) was compressed with the store's dictionary")
            case .failure?:
                #expect(number % 37 == 5, "\(name) decodes")
            default:
                Issue.record("\(name): \(String(describing: content.decoded))")
            }
        }
    }

    @Test func test_anIngestWithTheHelperStoresWhatOneWithoutItStores() throws {
        let helped = try Workspace()
        let alone = try Workspace()
        for workspace in [helped, alone] {
            dropFiles(into: workspace)
            // Order matters to these: a resolve between occurrences regresses the group after it.
            workspace.drop("f0150a.json", statusChangeJSON(fingerprint: "fp-3", status: 1, substatus: nil))
            workspace.drop("f0299a.json", PayloadBuilder(id: 7, fingerprint: "fp-7").json)
        }
        let expected = try helped.ingest()
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        // Below interactive priority the ingest has no helper.
        let report = try SpoolIngestor(store: alone.store, spool: alone.spool, logger: quiet, priority: .belowInteractive).ingestAvailable()
        #expect(expected.accepted == Self.files - 8 && expected.duplicates == 1 && expected.statusChanges == 1)
        #expect(report.accepted == expected.accepted && report.duplicates == expected.duplicates && report.rejected == expected.rejected)

        func stored(_ workspace: Workspace) throws -> [[UInt8]] {
            try workspace.store.read { db in
                try Row.fetchAll(db, sql: "SELECT id FROM occurrences ORDER BY seq").map { [UInt8]($0["id"] as Data) }
            }
        }
        let order = try stored(helped)
        #expect(order == (try stored(alone)))
        #expect(order.count == Self.files - 8)
        // Every file's payload, in arrival order within each group (a status change inserts its own
        // group's staged rows before the others').
        let stored = Set(order)
        #expect(stored.contains(Self.id(0).withUnsafeBytes { Array($0) }) && stored.contains(Self.id(Self.files - 1).withUnsafeBytes { Array($0) }))
        let history = "SELECT count(*) FROM status_history WHERE cause = '\(TransitionCause.regression.rawValue)'"
        #expect(try helped.count(history) == 1 && (try alone.count(history)) == 1)
    }
}
