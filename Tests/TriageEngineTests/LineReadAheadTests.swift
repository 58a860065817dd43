import Foundation
import GRDB
import Logging
import Testing
@testable import TriageEngine
import TriageTestSupport

/// `.jsonl` files read ahead whole, several files ahead of the writer (`FilePrefetch`): only once
/// the store has a payload dictionary, so each test trains one first.
@Suite struct LineReadAheadTests {
    private func lines(_ ids: Range<Int>) -> String {
        ids.map { PayloadBuilder(id: $0, fingerprint: "fp-\($0 % 50)").json + "\n" }.joined()
    }

    /// The ids of the payloads a dictionary is trained on.
    private let training = 1_000_000..<(1_000_000 + PayloadCompression.trainingSamples + 100)

    /// A workspace whose store has its dictionary, so the next pass reads far ahead from its start.
    private func trained() throws -> Workspace {
        let workspace = try Workspace()
        workspace.drop("000-train.jsonl", lines(training))
        try workspace.ingest()
        #expect(try workspace.count("SELECT count(*) FROM payload_dictionaries") == 1)
        return workspace
    }

    private static func id(_ number: Int) -> [UInt8] {
        UUIDBytes(hex: PayloadBuilder.uuid(number)).withUnsafeBytes { Array($0) }
    }

    @Test func test_lineFilesReadAheadWholeAreAppliedInFileOrderEachWholeAndOnce() throws {
        let workspace = try trained()
        // Twelve files a few hundred lines each (all of them fit in what is read ahead), with a
        // `.json` file, an empty file and blank lines among them.
        var expected: [Int] = []
        for file in 0..<12 {
            let ids = (file * 1_000)..<(file * 1_000 + 300)
            workspace.drop(String(format: "b%02d.jsonl", file), file == 4 ? "\n\n" + lines(ids) + "\n" : lines(ids))
            expected += ids
            if file == 6 {
                workspace.drop("b06z.json", PayloadBuilder(id: 50_000, fingerprint: "single").json)
                expected.append(50_000)
            }
        }
        workspace.drop("b07-empty.jsonl", "")
        let report = try workspace.ingest()
        #expect(report.accepted == expected.count)
        #expect(report.duplicates == 0 && report.rejected == 0)
        let trainingIDs = Set(training.map(Self.id))
        let stored = try workspace.store.read { db in
            try Row.fetchAll(db, sql: "SELECT id FROM occurrences ORDER BY seq").map { [UInt8]($0["id"] as Data) }
        }.filter { !trainingIDs.contains($0) }
        // Compared by count and first difference: a failure prints two positions, not 3,601 ids.
        #expect(stored.count == expected.count)
        let firstDifference = zip(stored, expected.map(Self.id)).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(firstDifference == nil, "stored in the order of the files and their lines; first out of order: \(firstDifference.map { "position \($0.offset)" } ?? "none")")
        #expect(workspace.directory.files(in: "spool").filter { !$0.hasPrefix(".") }.sorted() == ["failed", "processed"])
        #expect(workspace.directory.files(in: "spool/processed").count == 12 + 1 + 1 + 1)
    }

    @Test func test_linesAppendedToAFileAfterItWasReadAheadAreIngestedBeforeItMoves() throws {
        let workspace = try trained()
        workspace.drop("a.jsonl", lines(0..<400))
        workspace.drop("b.jsonl", lines(1_000..<1_010))
        let path = workspace.directory.path + "/spool/b.jsonl"
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        var polls = 0
        let report = try SpoolIngestor(store: workspace.store, spool: workspace.spool, logger: quiet).ingestAvailable {
            polls += 1
            // While the writer is in a.jsonl, b.jsonl (ten lines) has long been read to its end.
            if polls == 100 {
                Thread.sleep(forTimeInterval: 0.3)
                let handle = FileHandle(forWritingAtPath: path)!
                handle.seekToEndOfFile()
                handle.write(Data(lines(1_010..<1_015).utf8))
                try? handle.close()
            }
            return false
        }
        #expect(report.accepted == 415, "the five appended lines too")
        #expect(try workspace.count("SELECT count(*) FROM occurrence_ids") == 415 + training.count)
        #expect(workspace.directory.files(in: "spool/processed") == ["000-train.jsonl", "a.jsonl", "b.jsonl"])
    }
}
