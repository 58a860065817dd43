import Foundation
import Logging
import TriageEngine

/// A real store file and a real spool directory side by side, in a temporary directory.
public struct Workspace {
    public let directory = TemporaryDirectory()
    public let store: SQLiteStore
    public let spool: SpoolDirectory
    public let clock: ManualClock

    public init(registry: GroupTypeRegistry = .builtIn, settings: EngineSettings = EngineSettings(), now: Double = 1_790_000_000) throws {
        clock = ManualClock(now)
        store = try SQLiteStore(path: directory.path + "/store.sqlite", registry: registry, settings: settings, clock: clock)
        spool = try SpoolDirectory(path: directory.path + "/spool")
    }

    public func drop(_ name: String, _ text: String) { directory.write("spool/" + name, text) }

    /// Ingests what is in the spool now (taking and releasing the spool lock).
    @discardableResult
    public func ingest(limits: PayloadLimits = .default, batchRows: Int = 10_000) throws -> IngestReport {
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        return try SpoolIngestor(store: store, spool: spool, limits: limits, logger: quiet, batchRows: batchRows).ingestAvailable()
    }

    /// Drops `payloads` as one `.jsonl` file and ingests the spool.
    @discardableResult
    public func ingest(_ payloads: [String], file: String = UUID().uuidString + ".jsonl") throws -> IngestReport {
        drop(file, payloads.joined(separator: "\n"))
        return try ingest()
    }

    public func groups(_ query: String = "") throws -> [Group] {
        try store.groups(matching: QueryParser(registry: store.registry).parse(query), sort: .lastSeen, limit: nil, offset: 0)
    }
}
