import TriageTestSupport
import Foundation
import Testing

/// The ingest pipeline, the writer's rules and the lifecycle they apply reach a store only through
/// `IngestStore`, `IngestSession` and `LifecycleStore`: what is SQLite's lives in `Store/`.
@Suite struct IngestSeamBoundaryTests {
    private static let engine = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/TriageEngine")

    /// Each Swift file in `directory` with its lines of code (comments left out).
    private func code(in directory: String) throws -> [(file: String, lines: [Substring])] {
        let url = Self.engine.appendingPathComponent(directory)
        let files = try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(".swift") }.sorted()
        return try files.map { file in
            let text = try String(contentsOf: url.appendingPathComponent(file), encoding: .utf8)
            return (file, text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") })
        }
    }

    @Test func test_theIngestPipelineAndItsRulesNameNoSQLiteType() throws {
        let sqliteNames = ["import GRDB", "Database", "RawStatement", "SQLiteIngestSession", "Row.fetch", "db."]
        let pipeline = try code(in: "Ingest")
        #expect(pipeline.contains { $0.file == "IngestWriter.swift" }, "the scan sees the writer")
        let lifecycle = try code(in: "Lifecycle")
        #expect(lifecycle.contains { $0.file == "LifecycleRules.swift" }, "the scan sees the time-based rules")
        for (file, lines) in pipeline + lifecycle {
            for line in lines {
                for name in sqliteNames where line.contains(name) {
                    Issue.record("\(file) names \(name): \(line.trimmingCharacters(in: .whitespaces))")
                }
                // The one public way in names the one public store, until the seam is public.
                if line.contains("SQLiteStore"), file != "SpoolIngestor.swift" {
                    Issue.record("\(file) names SQLiteStore: \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
    }
}
