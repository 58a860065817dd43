import Foundation

/// One pass over the spool: owns the open transaction, the writer, and the moves waiting for commit.
final class IngestPass {
    let pipeline: IngestPipeline
    let session: any IngestSession
    /// Payloads that made a stage fail in an earlier pass, with the reason (`PoisonedPayload`).
    let poisoned: [PoisonedPayload.Key: String]
    let hooks: IngestHooks
    let now: Double
    let writer: IngestWriter
    let prefetch: FilePrefetch
    var report = IngestReport()
    /// The report as of the last commit: what stays done if the pass fails later.
    private(set) var committed = IngestReport()
    var inTransaction = false
    var rowsInTransaction = 0
    /// When the open transaction began (monotonic nanoseconds).
    var transactionStarted: UInt64 = 0
    /// Each with its file's ledger row, or none: then the commit records it (`PendingMoves`).
    /// Either is what finishes the move after a crash.
    var movesAfterCommit: [(file: FinishedFile, ledgerRow: Int64?, failedAttempt: Int, readTo: Int64)] = []
    /// The ledger rows and commit records of the moves handed to the mover: once the files have
    /// left the spool, they have nothing left to say (`forgetMovedFiles`).
    var ledgerRowsOfMoves: [Int64] = []
    var recordsOfMoves: [Int64] = []
    /// Files of this pass not yet begun.
    var filesLeft: Int

    init(_ pipeline: IngestPipeline, session: any IngestSession, poisoned: [PoisonedPayload.Key: String], hooks: IngestHooks,
         now: Double, files: [SpoolName]) throws {
        self.pipeline = pipeline
        self.session = session
        self.poisoned = poisoned
        self.hooks = hooks
        self.now = now
        filesLeft = files.count
        // The writer publishes its dictionary before anything is prepared: a row names the very
        // dictionary object the writer holds.
        writer = try IngestWriter(session: session, decoder: pipeline.decoder, cache: pipeline.groupKeys, now: now,
                                  settings: pipeline.store.settings, stagedBytes: pipeline.memory.stagedBytes,
                                  publishingDictionaryTo: pipeline.dictionary)
        prefetch = FilePrefetch(files, spool: pipeline.spool, decodeAhead: pipeline.decodeAhead,
                                maxPayloadBytes: pipeline.limits.maxPayloadBytes, memory: pipeline.memory,
                                readFarAhead: { [dictionary = pipeline.dictionary] in !dictionary.isAwaited })
    }

    /// Below this many moves a commit costs more than the moves it lets start early.
    private static let movesWorthACommit = 256

    var spool: SpoolDirectory { pipeline.spool }
    var limits: PayloadLimits { pipeline.limits }

    func begin() throws {
        guard !inTransaction else { return }
        try session.begin()
        writer.advanceClock(to: pipeline.store.clock.now())
        inTransaction = true
        transactionStarted = DispatchTime.now().uptimeNanoseconds
    }

    /// A transaction commits at `batchRows` rows or after a second, whichever comes first: large
    /// commits are cheaper per row, and a flood still reaches the screen every second.
    ///
    /// Or once it holds more files to move than the pass has left to begin: the moves wait for the
    /// commit, and those of the last transaction are all the mover does after the writer is done.
    /// Halving the transactions towards the end keeps the mover busy while the writer works.
    var transactionIsFull: Bool {
        rowsInTransaction >= pipeline.batchRows
            || movesAfterCommit.count >= max(Self.movesWorthACommit, filesLeft)
            || (inTransaction && DispatchTime.now().uptimeNanoseconds - transactionStarted >= pipeline.longestTransaction)
    }

    /// Flushes group counters, commits, and only then moves the files the commit accounted for.
    func commit() throws {
        // One loop, not filter, map and compactMap with key paths, which copied each move once a
        // pass over the list.
        var moves: [SpoolMove] = []
        var unrecorded: [FinishedFile] = []
        var ledgerRows: [Int64] = []
        moves.reserveCapacity(movesAfterCommit.count)
        for move in movesAfterCommit {
            let identity = SpoolIdentity(move.file.identity)
            moves.append(move.file.outcome == .processed
                ? SpoolMove(name: move.file.name, destination: spool.processed, expectedSize: move.readTo, identity: identity)
                : SpoolMove(name: move.file.name, destination: spool.failed, firstAttempt: move.failedAttempt,
                            reserve: ArchiveName.failedReserve, expectedSize: move.readTo, identity: identity))
            if let row = move.ledgerRow { ledgerRows.append(row) } else { unrecorded.append(move.file) }
        }
        var record: Int64?
        if inTransaction {
            pipeline.failedOutputs.startSync()
            try writer.finishTransaction()
            if !unrecorded.isEmpty { record = try session.recordMoves(unrecorded, of: spool.identity) }
            try pipeline.failedOutputs.finishSync()
            try session.commit()
            inTransaction = false
            pipeline.notifications?.wake()
        }
        committed = report
        rowsInTransaction = 0
        pipeline.mover.move(moves)
        ledgerRowsOfMoves += ledgerRows
        if let record { recordsOfMoves.append(record) }
        movesAfterCommit.removeAll()
    }

    /// The pass's last commit, after retention has removed what it holds back.
    func finishPass() throws {
        if inTransaction || writer.holdsOccurrencesToPrune {
            try begin()
            try writer.pruneOccurrences()
        }
        try commit()
        report.regressions = writer.regressions
        report.escalations = writer.escalations
    }

    /// After the mover's `drain`: every file this pass moved has left the spool, so its ledger row
    /// and rejections, or its commit's record, go. Kept, they grew the store by 139 bytes a file for
    /// ever (a third of a store fed one payload per file), which retention does not bound. Only
    /// those this pass saw moved: another ingester of another spool may share the store, its files
    /// not moved yet.
    func forgetMovedFiles() throws {
        guard !ledgerRowsOfMoves.isEmpty || !recordsOfMoves.isEmpty else { return }
        try session.forgetMoved(entries: ledgerRowsOfMoves, moveRecords: recordsOfMoves)
        ledgerRowsOfMoves.removeAll()
        recordsOfMoves.removeAll()
    }

    /// Queues a finished file's move for after the commit; one refused whole goes to `failedAttempt`'s
    /// name, beside its sidecar. `readTo`: where reading it ended (a file larger at the move stays).
    func moveAfterCommit(_ file: FinishedFile, ledgerRow: Int64?, failedAttempt: Int = 0, readTo: Int64) {
        movesAfterCommit.append((file, ledgerRow, failedAttempt, readTo))
    }

    /// What was done outside any transaction (quarantined links and FIFOs) stays done.
    func markCommitted() { committed = report }

    func rollback() throws {
        movesAfterCommit.removeAll()
        // An output that failed is reported by now; the next pass starts clean.
        try? pipeline.failedOutputs.sync()
        if inTransaction {
            inTransaction = false
            try session.rollback()
        }
    }
}
