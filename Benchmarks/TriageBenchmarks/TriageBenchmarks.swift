import Benchmark
import Foundation
import Logging
import TriageBench
import TriageDemo
import TriageEngine
import TriageUI

// The hot paths of ingest and of the UI, each on real parts: payloads from `triage gen`, a real
// SQLite store in a temporary directory, the real UI rendering into its grid. Throughput figures
// are per payload or per keystroke; `swift package benchmark` prints them with malloc counts.

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
                                           warmupIterations: 1, maxDuration: .seconds(3), maxIterations: 1_000)

    // MARK: Ingest

    Benchmark("payload decode + validate (1,000 payloads)") { benchmark in
        let payloads = Workload.shared.payloads
        let decoder = PayloadDecoder(registry: .builtIn)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            for payload in payloads { blackHole(try? decoder.decode(payload)) }
        }
    }

    // Each iteration writes the file into a new spool and creates the store (a few ms of the total).
    Benchmark("ingest: group + store 10,000 occurrences (JSON lines, new store)",
              configuration: .init(maxDuration: .seconds(10), maxIterations: 20)) { benchmark in
        for _ in benchmark.scaledIterations {
            let directory = Workload.temporaryDirectory("ingest")
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try Workload.shared.jsonLines.write(to: URL(fileURLWithPath: directory + "/spool/gen-0.jsonl"))
            let store = try SQLiteStore(path: directory + "/store.sqlite")
            let ingestor = try SpoolIngestor(store: store, spool: try SpoolDirectory(path: directory + "/spool"), logger: Workload.quiet)
            blackHole(try ingestor.ingestAvailable())
        }
    }

    // MARK: Queries and the list

    Benchmark("query parse + first page (type:error level:error, 100k groups)") { benchmark in
        let store = try Workload.shared.browsingStore()
        let parser = QueryParser(registry: .builtIn)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let query = try parser.parse("is:unresolved type:error level:error")
            blackHole(try store.groups(matching: query, sort: .lastSeen, limit: 37, offset: 0))
        }
    }

    Benchmark("list window fetch (37 rows at offset 1,000, 100k groups)") { benchmark in
        let store = try Workload.shared.browsingStore()
        let query = try QueryParser(registry: .builtIn).parse("is:unresolved")
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try store.groups(matching: query, sort: .lastSeen, limit: 37, offset: 1_000))
        }
    }

    // MARK: Rendering

    Benchmark("render the list, full 120×40 screen") { benchmark in
        let app = try TriageApp(store: try Workload.shared.browsingStore(), width: 120, height: 40)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(app.render()) }
    }

    Benchmark("render details with the evidence table, 120×40") { benchmark in
        let app = try TriageApp(store: try Workload.shared.browsingStore(), width: 120, height: 40)
        app.handle(.enter)
        precondition(app.state.detail != nil, "details did not open")
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(app.render()) }
    }
}

/// Inputs made once per process and shared by the benchmarks.
final class Workload: @unchecked Sendable {
    static let shared = Workload()
    static let quiet: Logger = {
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        return logger
    }()

    /// 10,000 generated occurrences (~1 KB each, Zipf-like popularity over 1,000 fingerprints).
    let jsonLines: Data
    /// The first 1,000 of them, one payload each.
    let payloads: [[UInt8]]
    private let lock = NSLock()
    private var browsing: SQLiteStore?

    private init() {
        let directory = Self.temporaryDirectory("gen")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let options = SpoolGenerator.Options(occurrences: 10_000, groups: 1_000, perFile: 10_000)
        _ = try! SpoolGenerator(options: options).write(to: directory)
        let name = try! FileManager.default.contentsOfDirectory(atPath: directory).first { $0.hasSuffix(".jsonl") }!
        jsonLines = FileManager.default.contents(atPath: directory + "/" + name)!
        payloads = jsonLines.split(separator: 0x0A).prefix(1_000).map { [UInt8]($0) }
    }

    /// A store of 100,000 synthetic groups, filled on first use.
    func browsingStore() throws -> SQLiteStore {
        lock.lock()
        defer { lock.unlock() }
        if let browsing { return browsing }
        let store = try SQLiteStore(path: Self.temporaryDirectory("browse") + "/store.sqlite")
        try SyntheticStore.fill(store, groups: 100_000, occurrencesPerGroup: 1, now: Date().timeIntervalSince1970)
        browsing = store
        return store
    }

    static func temporaryDirectory(_ purpose: String) -> String {
        let directory = NSTemporaryDirectory() + "triage-bench-\(purpose)-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: directory + "/spool", withIntermediateDirectories: true)
        return directory
    }
}
