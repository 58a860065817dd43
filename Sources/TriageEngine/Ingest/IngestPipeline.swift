import Logging

/// What an ingest pass works with, made once by the `SpoolIngestor` and handed down to each pass,
/// which reaches back into nothing: the store, the spool, the decode queue with the dictionary it
/// compresses with, the group-key cache, the mover and `failed/` outputs, the courier, the budget.
struct IngestPipeline {
    let store: any IngestStore
    let spool: SpoolDirectory
    let decoder: PayloadDecoder
    let decodeAhead: DecodeAhead
    /// Published by each pass's writer, read by the decode queue and the read-ahead.
    let dictionary: CurrentDictionary
    /// Group ids by key, across passes (emptied after a rollback).
    let groupKeys: GroupKeyCache
    let mover: SpoolMover
    /// Writes into the spool's `failed/`.
    let failedOutputs: FailedOutputs
    /// Told after each commit; delivers beside ingest, never in its path.
    let notifications: NotificationCourier?
    let memory: IngestMemory
    /// A transaction commits after this many payloads...
    let batchRows: Int
    /// ...or after this many nanoseconds, whichever comes first, while there is more to ingest.
    let longestTransaction: UInt64
    let logger: Logger

    var limits: PayloadLimits { decoder.limits }
}

/// What a test hooks into a pass, to stand for a writer that fails or a producer that appends.
struct IngestHooks {
    /// Runs after the writer applied each occurrence.
    var afterWrite: ((Occurrence) throws -> Void)?
    /// Runs when a `.jsonl` file has been read to its end.
    var afterReadingLines: ((SpoolName) -> Void)?
}
