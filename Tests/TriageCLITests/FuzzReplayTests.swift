import Foundation
import Testing
import TriageTestSupport

/// The fuzz targets, built without libFuzzer, replay the committed seed corpus and every crash
/// reproducer ever found (Fuzz/regressions/), so a fixed crash stays fixed.
@Suite struct FuzzReplayTests {
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test(arguments: [("FuzzPayload", "payload"), ("FuzzIngest", "ingest"), ("FuzzQuery", "query"), ("FuzzConfig", "config")])
    func test_theCorpusAndEveryRegressionReplayCleanly(product: String, target: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "\(Self.root)/.build/debug/\(product)")
        process.arguments = ["\(Self.root)/Fuzz/corpus/\(target)", "\(Self.root)/Fuzz/regressions/\(target)"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0, "\(product) crashed on an input")
        let seeds = try FileManager.default.contentsOfDirectory(atPath: "\(Self.root)/Fuzz/corpus/\(target)").count
        #expect(text.hasPrefix("replayed "), "\(text)")
        #expect((Int(text.dropFirst("replayed ".count).prefix { $0.isNumber }) ?? 0) >= seeds)
    }
}
