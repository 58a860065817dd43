import Foundation
import Testing

/// The binary runs on mimalloc (Docs/DECISIONS.md). Nothing calls it, so nothing else would notice
/// if it stopped: a linker run with `--as-needed`, or the import dropped in a refactor, would put
/// glibc's malloc back and only the benchmarks would show it.
@Suite struct AllocatorTests {
    @Test func test_binaryRunsOnMimalloc() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TriageProcess.binary)
        process.arguments = ["--help"]
        // mimalloc reports its start on stderr when asked to.
        process.environment = ["MIMALLOC_VERBOSE": "1", "PATH": "/usr/bin:/bin", "NO_COLOR": "1"]
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let report = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(report.contains("mimalloc: process init"), "stderr: \(report.prefix(500))")
    }
}
