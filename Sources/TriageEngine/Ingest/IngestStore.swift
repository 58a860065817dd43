/// What the ingest pipeline (`SpoolIngestor`) asks of a store: a session for each pass
/// (`IngestSession`, where the writing happens) and the few things done between passes. The
/// pipeline, the writer's rules and the lifecycle they apply never learn which store it is.
///
/// `SQLiteStore` implements it: one writer at a time (the spool's lock and SQLite's own), so its
/// answers hold for a whole pass. An implementation shared by several ingesters must keep
/// `IngestSession`'s contract (atomic claims, store-assigned ids) and may not assume that either.
package protocol IngestStore: AnyObject, Sendable {
    var registry: GroupTypeRegistry { get }
    var settings: EngineSettings { get }
    var clock: any TriageClock { get }

    /// Sizes what the store's writer may hold for speed (`IngestMemory.writerCacheBytes`).
    func prepareWriter(_ memory: IngestMemory) throws
    /// Runs one ingest pass's `body` with a session on the store's writer; the session is valid only
    /// during the call, and any batch `body` leaves open is the caller's to commit or roll back.
    func withIngestSession<T>(_ body: (any IngestSession) throws -> T) throws -> T
    /// Applies the time-based rules (`LifecycleRules`) due now; returns how many groups changed.
    func applyRules() throws -> Int
    /// Whether a failure of the store came from a payload's values (a constraint, a value too big or
    /// of the wrong kind): the pass then refuses that payload. Any other failure ends the pass.
    func blamesThePayload(_ error: any Error) -> Bool

    // MARK: Moves a stopped run committed and did not make (`PendingMoves`)

    /// The records of `spool` (other spools may share the store), with their files, oldest first.
    func unfinishedMoves(of spool: SpoolIdentity) throws -> [(id: Int64, files: [FinishedFile])]
    /// In one batch: a ledger entry marking each of `unmoved` finished (the pass then retries its
    /// move), and the records `ids` forgotten.
    func settleMoves(unmoved: [FinishedFile], forgetting ids: [Int64]) throws

    // MARK: Telemetry

    /// The newest status-history entry's id (0 if none): the changes after it are what comes next.
    func newestHistoryID() throws -> Int64
    /// Status changes recorded after `historyID`, by cause, leaving out users' changes and group creation.
    func transitionCounts(since historyID: Int64) throws -> [(cause: String, count: Int)]
    /// Adds what `metrics` counted since its last save to the store's totals.
    func persist(_ metrics: TriageMetrics) throws
}
