import Testing
import TriageTestSupport

/// The binary runs on mimalloc (Docs/DECISIONS.md). Nothing calls it, so nothing else would notice
/// if it stopped: a linker run with `--as-needed`, or the import dropped in a refactor, would put
/// glibc's malloc back and only the benchmarks would show it.
@Suite struct AllocatorTests {
    @Test func test_binaryRunsOnMimalloc() throws {
        let scratch = TemporaryDirectory()
        // mimalloc reports its start on stderr when asked to.
        let help = try TriageProcess.run(["--help"], home: scratch.path, environment: ["MIMALLOC_VERBOSE": "1"])
        #expect(help.status == 0)
        #expect(help.stderr.contains("mimalloc: process init"), "stderr: \(help.stderr.prefix(500))")
    }
}
