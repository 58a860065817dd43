/// How much memory an ingest may hold for speed: the writer's page cache, the spool read ahead of
/// the writer, and the rows a transaction keeps until its flush.
///
/// `triage ingest` has the process to itself and takes `.throughput`. The TUI ingests a followed
/// spool in its own process, where the budget is the engineer's terminal: with `.throughput` a
/// flood multiplied the TUI's peak memory several times over (`scripts/bench-ui-flood`), so it
/// takes `.interactive`.
public struct IngestMemory: Sendable, Equatable {
    /// SQLite's page cache on the writer's connection.
    public var writerCacheBytes: Int
    /// `.jsonl` bytes read ahead whole, in all (their decoded lines take ~3× this).
    public var lineBytesAhead: Int64
    /// `.json` bytes read ahead, at the mean size of the files taken so far.
    public var jsonBytesAhead: Int64
    /// Payload bytes a transaction holds for its flush before flushing early.
    public var stagedBytes: Int

    /// Measured fastest on a 2-core machine: a larger cache or read-ahead bought no more.
    public static let throughput = IngestMemory(writerCacheBytes: 64 << 20, lineBytesAhead: 16 << 20, jsonBytesAhead: 8 << 20,
                                                stagedBytes: 16 << 20)
    public static let interactive = IngestMemory(writerCacheBytes: 4 << 20, lineBytesAhead: 1 << 20, jsonBytesAhead: 1 << 20,
                                                 stagedBytes: 1 << 20)
}
