import Foundation
import GRDB
import Logging

/// Ingests a spool directory into a store, file by file in byte order of their names.
///
/// Crash safety comes from one rule: a file's progress (ledger row, byte offset, refusals) is
/// committed in the same transaction as the rows it produced, and a file leaves the spool only after
/// that commit. A run killed at any instant resumes from the last commit; a file whose ledger says
/// it is done is only moved. Occurrence ids are unique in the store as a second line of defence.
public final class SpoolIngestor {
    public let store: SQLiteStore
    public let spool: SpoolDirectory
    public let decoder: PayloadDecoder
    private let logger: Logger
    private let batchRows: Int
    /// Nanoseconds a transaction stays open at most while there is more to ingest.
    fileprivate let longestTransaction: UInt64
    private let cache = GroupKeyCache()
    private let lineDecoder: DecodeAhead
    private let mover: SpoolMover
    /// Writes into the spool's `failed/`.
    fileprivate let failedOutputs: FailedOutputs
    private let lock: SpoolLock
    private var reportedSkips: Set<SpoolName> = []
    /// Told after each commit; delivers beside ingest, never in its path.
    fileprivate let notifications: NotificationCourier?
    private let telemetry: IngestTelemetry
    /// When the time-based rules last ran (they run at the start of a pass at most once a minute).
    private var rulesRanAt: Double?
    fileprivate let memory: IngestMemory

    /// Takes the spool's lock for as long as the ingestor lives; throws `SpoolError.busy` if another
    /// process holds it. A transaction commits after `batchRows` payloads or `longestTransaction`
    /// seconds, whichever comes first. `memory` sets the store's writer connection's page cache;
    /// `priority` is the helper threads' (the caller's own thread is the writer's: see `IngestPriority`).
    public init(store: SQLiteStore, spool: SpoolDirectory, limits: PayloadLimits = .default,
                logger: Logger = Logger(label: "triage.ingest"), batchRows: Int = 50_000, notifications: NotificationCourier? = nil,
                analytics: Analytics = .disabled, metrics: TriageMetrics? = nil, longestTransaction: Double = 1,
                memory: IngestMemory = .throughput, priority: IngestPriority = .normal) throws {
        self.memory = memory
        try store.pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA cache_size = -\(memory.writerCacheBytes >> 10)") }
        self.longestTransaction = UInt64(max(0, longestTransaction) * 1e9)
        self.notifications = notifications
        telemetry = IngestTelemetry(store: store, analytics: analytics, metrics: metrics, logger: logger)
        self.store = store
        self.spool = spool
        self.decoder = PayloadDecoder(registry: store.registry, limits: limits, clock: store.clock)
        // The TUI's ingest keeps to one decode thread besides the writer: the keyboard comes first.
        lineDecoder = DecodeAhead(decoder: decoder, priority: priority, helper: priority == .normal)
        mover = SpoolMover(spool: spool, priority: priority)
        failedOutputs = FailedOutputs(directory: spool.failed, priority: priority)
        self.logger = logger
        self.batchRows = batchRows
        lock = try SpoolLock(spool: spool)
    }

    // Outputs still queued write through the spool's `failed/` descriptor, which closes with it.
    deinit { failedOutputs.drain() }

    /// Ingests every file now in the spool. `shouldStop` is polled between payloads; when it returns
    /// true the pass saves its progress, commits and returns with `interrupted` set.
    public func ingestAvailable(shouldStop: () -> Bool = { false }) throws -> IngestReport {
        let started = Date()
        var report = IngestReport()
        let historyMark = try telemetry.historyMark()
        let now = store.clock.now()
        if rulesRanAt.map({ now - $0 >= LifecycleConfig.ruleInterval || now < $0 }) ?? true {
            report.ruleChanges = try store.applyRules()
            rulesRanAt = now
        }
        let finished = try PendingMoves.finishMoves(in: spool, store: store)
        if finished.moved > 0 { logger.info("moved \(finished.moved) files that a stopped run had ingested but not moved") }
        if finished.unmoved > 0 { logger.warning("\(finished.unmoved) files that a stopped run had ingested would not move; retrying after this pass") }
        let listing = try spool.readyFiles()
        try store.pool.writeWithoutTransaction { db in
            let pass = try IngestPass(db: db, ingestor: self, now: store.clock.now(), files: listing.ready)
            do {
                for (name, reason) in listing.skipped {
                    try pass.quarantineUnusable(name, reason: reason)
                }
                for name in listing.ready {
                    if shouldStop() { pass.report.interrupted = true; break }
                    try pass.ingestFile(name, shouldStop: shouldStop)
                    if pass.report.interrupted { break }
                }
                try pass.finishPass()
                try mover.drain()
                try pass.forgetMovedFiles()
            } catch {
                try? pass.rollback()
                // Moves of what was committed before the failure still happen.
                try? mover.drain()
                throw error
            }
            let ruleChanges = report.ruleChanges
            report = pass.report
            report.ruleChanges = ruleChanges
        }
        report.seconds = Date().timeIntervalSince(started)
        // The time-based rules may have recorded notifications without a commit of the pass's own.
        notifications?.wake()
        telemetry.record(report, since: historyMark)
        return report
    }

    fileprivate func log(_ note: RejectionNote) {
        logger.info("\(note.description)")
    }

    fileprivate var groupKeyCache: GroupKeyCache { cache }
    fileprivate var decodeAhead: DecodeAhead { lineDecoder }
    fileprivate var spoolMover: SpoolMover { mover }
    fileprivate var rowsPerTransaction: Int { batchRows }
}

/// One pass over the spool: owns the open transaction, the writer, and the moves waiting for commit.
private final class IngestPass {
    let db: Database
    let ingestor: SpoolIngestor
    let now: Double
    let writer: IngestWriter
    private let ledger: IngestLedger
    private let prefetch: FilePrefetch
    var report = IngestReport()
    private var inTransaction = false
    private var rowsInTransaction = 0
    /// When the open transaction began (monotonic nanoseconds).
    private var transactionStarted: UInt64 = 0
    /// Each with its file's ledger row, or none: then the commit records it (`PendingMoves`).
    /// Either is what finishes the move after a crash.
    private var movesAfterCommit: [(file: FinishedFile, ledgerRow: Int64?)] = []
    /// The ledger rows and commit records of the moves handed to the mover: once the files have
    /// left the spool, they have nothing left to say (`forgetMovedFiles`).
    private var ledgerRowsOfMoves: [Int64] = []
    private var recordsOfMoves: [Int64] = []
    /// Files of this pass not yet begun.
    private var filesLeft: Int

    init(db: Database, ingestor: SpoolIngestor, now: Double, files: [SpoolName]) throws {
        self.db = db
        self.ingestor = ingestor
        self.now = now
        filesLeft = files.count
        writer = try IngestWriter(db: db, decoder: ingestor.decoder, cache: ingestor.groupKeyCache, now: now,
                                  settings: ingestor.store.settings, payloads: ingestor.store.payloads,
                                  stagedBytes: ingestor.memory.stagedBytes)
        // Before anything is prepared: a row names the very dictionary object the writer holds.
        ingestor.decodeAhead.use(writer.dictionary)
        writer.trained = { [decodeAhead = ingestor.decodeAhead] in decodeAhead.use($0) }
        prefetch = FilePrefetch(files, spool: ingestor.spool, decodeAhead: ingestor.decodeAhead,
                                maxPayloadBytes: ingestor.decoder.limits.maxPayloadBytes, memory: ingestor.memory,
                                readFarAhead: { [writer] in !writer.awaitsDictionary })
        ledger = try IngestLedger(db)
    }

    /// Below this many moves a commit costs more than the moves it lets start early.
    private static let movesWorthACommit = 256

    private var spool: SpoolDirectory { ingestor.spool }
    private var limits: PayloadLimits { ingestor.decoder.limits }

    func begin() throws {
        guard !inTransaction else { return }
        try db.beginTransaction(.immediate)
        writer.advanceClock(to: ingestor.store.clock.now())
        inTransaction = true
        transactionStarted = DispatchTime.now().uptimeNanoseconds
    }

    /// A transaction commits at `batchRows` rows or after a second, whichever comes first: large
    /// commits are cheaper per row, and a flood still reaches the screen every second.
    ///
    /// Or once it holds more files to move than the pass has left to begin: the moves wait for the
    /// commit, and those of the last transaction are all the mover does after the writer is done
    /// (~20 µs a rename). Halving the transactions towards the end keeps the mover busy while the
    /// writer works: a pass over 50,000 one-payload files took 12–16% less time (BENCHMARKS.md).
    private var transactionIsFull: Bool {
        rowsInTransaction >= ingestor.rowsPerTransaction
            || movesAfterCommit.count >= max(Self.movesWorthACommit, filesLeft)
            || (inTransaction && DispatchTime.now().uptimeNanoseconds - transactionStarted >= ingestor.longestTransaction)
    }

    /// Flushes group counters, commits, and only then moves the files the commit accounted for.
    func commit() throws {
        // One loop, not filter, map and compactMap with key paths, which copied each move once a
        // pass over the list: 2% of the writer's instructions with one payload per file.
        var moves: [(SpoolName, Int32)] = []
        var unrecorded: [FinishedFile] = []
        var ledgerRows: [Int64] = []
        moves.reserveCapacity(movesAfterCommit.count)
        for move in movesAfterCommit {
            moves.append((move.file.name, move.file.outcome == .processed ? spool.processed : spool.failed))
            if let row = move.ledgerRow { ledgerRows.append(row) } else { unrecorded.append(move.file) }
        }
        var record: Int64?
        if inTransaction {
            ingestor.failedOutputs.startSync()
            try writer.flush()
            if !unrecorded.isEmpty { record = try PendingMoves.record(unrecorded, of: spool.identity, in: db) }
            try ingestor.failedOutputs.finishSync()
            try db.commit()
            inTransaction = false
            ingestor.notifications?.wake()
        }
        rowsInTransaction = 0
        ingestor.spoolMover.move(moves)
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
        try db.inTransaction(.immediate) {
            try ledger.forget(ledgerRowsOfMoves)
            try PendingMoves.forget(recordsOfMoves, in: db)
            return .commit
        }
        ledgerRowsOfMoves.removeAll()
        recordsOfMoves.removeAll()
    }

    /// Queues a finished file's move for after the commit.
    private func moveAfterCommit(_ file: FinishedFile, ledgerRow: Int64?) {
        movesAfterCommit.append((file, ledgerRow))
    }

    func rollback() throws {
        movesAfterCommit.removeAll()
        // An output that failed is reported by now; the next pass starts clean.
        try? ingestor.failedOutputs.sync()
        if inTransaction {
            inTransaction = false
            try db.rollback()
        }
    }

    // MARK: Files

    func ingestFile(_ name: SpoolName, shouldStop: () -> Bool) throws {
        filesLeft -= 1
        let prefetched = prefetch.take(name)
        let file: SpoolFile
        switch prefetched?.open ?? SpoolFile.open(name, in: spool) {
        case .vanished: return
        case let .unusable(reason): return try quarantineUnusable(name, reason: reason)
        case let .opened(opened): file = opened
        }
        try begin()
        var entry: LedgerEntry
        if let existing = try ledger.find(name, file.identity) {
            if let outcome = existing.outcome {
                // Done by an earlier run that stopped before moving it.
                moveAfterCommit(FinishedFile(name: name, identity: file.identity, outcome: outcome), ledgerRow: existing.id)
                return
            }
            entry = existing
        } else {
            entry = IngestLedger.unclaimed(name, file.identity)
        }
        report.files += 1
        switch name.format {
        case .json: try ingestSinglePayload(file, &entry, decoded: prefetched?.decoded)
        case .jsonLines: try ingestLines(file, &entry, prefetched: prefetched?.firstLines, shouldStop: shouldStop)
        case nil: return
        }
        if transactionIsFull { try commit() }
    }

    /// `decoded`: the payload as `FilePrefetch` decoded it, if it did.
    private func ingestSinglePayload(_ file: SpoolFile, _ entry: inout LedgerEntry,
                                     decoded: DecodedPayload?) throws {
        let size = Int(file.identity.size)
        let error: PayloadError?
        if size > limits.maxPayloadBytes {
            // Refused by size alone: a 2 GB file is never read into memory.
            error = .tooLarge(size: size, limit: limits.maxPayloadBytes)
        } else {
            error = try apply(try decoded ?? ingestor.decodeAhead.decodeNow(try file.read(at: 0, count: size)), into: &entry.counts)
        }
        if let error {
            try refuse(file, &entry, line: nil, offset: 0, length: size, error: error)
        }
        entry.byteOffset = Int64(size)
        try finish(file, &entry)
    }

    /// Lines are read and decoded batches ahead on the other core (`LineBatches`) and applied here in
    /// order; the ledger only ever records lines that were applied. `prefetched`: the file's first
    /// batches, read from its start (`FilePrefetch`), used unless an earlier run applied some lines.
    private func ingestLines(_ file: SpoolFile, _ entry: inout LedgerEntry,
                             prefetched: (source: LineSource, batches: [DecodedBatch], askedWhole: Bool)?,
                             shouldStop: () -> Bool) throws {
        var batches = if let prefetched, entry.byteOffset == 0 {
            LineBatches(prefetched.source, decodeAhead: ingestor.decodeAhead, first: prefetched.batches, askedWhole: prefetched.askedWhole)
        } else {
            LineBatches(LineSource(LineReader(file: file, from: entry.byteOffset, line: entry.line, maxLineBytes: limits.maxPayloadBytes)),
                        decodeAhead: ingestor.decodeAhead)
        }
        // The lines are not kept in a local: `recycle` frees them on the decode queue only if the
        // batch holds the last reference.
        while let current = try batches.next() {
            // The next file's first lines are decoded while this file's last ones are applied.
            if current.reachedEnd || batches.endIsRead { prefetch.startNextLineFile() }
            for (line, outcome) in try current.wait() {
                let refusal: PayloadError?
                switch outcome {
                case .blank: refusal = nil
                case let .decoded(decoded): refusal = try apply(decoded, into: &entry.counts)
                }
                if let refusal { try refuse(file, &entry, line: line.number, offset: line.offset, length: line.length, error: refusal) }
                entry.byteOffset = line.end
                entry.line = line.number
                if transactionIsFull || shouldStop() {
                    try ledger.save(&entry, at: now, finished: false)
                    try commit()
                    if shouldStop() {
                        report.interrupted = true
                        return
                    }
                    try begin()
                }
            }
            ingestor.decodeAhead.recycle(current)
        }
        try finish(file, &entry)
    }

    /// Applies one decoded payload (a refusal counts as a row too); returns the refusal, if any.
    private func apply(_ decoded: DecodedPayload, into counts: inout FileCounts) throws -> PayloadError? {
        switch decoded {
        case let .success((payload, prepared)): return try apply(payload, prepared, into: &counts)
        case let .failure(error):
            rowsInTransaction += 1
            return error
        }
    }

    /// Applies one payload that decoded; returns the refusal, if any.
    private func apply(_ payload: Payload, _ prepared: PreparedRow?, into counts: inout FileCounts) throws -> PayloadError? {
        rowsInTransaction += 1
        switch payload {
        case let .occurrence(occurrence):
            switch try writer.ingest(occurrence, prepared: prepared) {
            case let .grouped(created, released):
                counts.accepted += 1
                report.accepted += 1
                report.noiseReleased += released
                if created { report.groupsCreated += 1 }
            case .held:
                counts.accepted += 1
                counts.noiseHeld += 1
                report.accepted += 1
                report.noiseHeld += 1
            case .duplicate:
                counts.duplicates += 1
                report.duplicates += 1
            case let .rejected(error):
                return error
            }
        case let .statusChange(change):
            switch try writer.apply(change) {
            case .changed:
                counts.statusChanges += 1
                report.statusChanges += 1
            case .unchanged: break
            case let .rejected(error): return error
            }
        }
        return nil
    }

    private func refuse(_ file: SpoolFile, _ entry: inout LedgerEntry, line: Int?, offset: Int64, length: Int,
                        error: PayloadError) throws {
        entry.counts.rejected += 1
        report.rejected += 1
        let fileID = try ledger.claim(&entry, at: now)
        try ledger.recordRejection(fileID: fileID, line: line, offset: offset, length: length, error: error)
        let note = RejectionNote(file: file.name.description, line: line, field: error.field, reason: error.reason)
        if report.notes.count < IngestReport.noteLimit { report.notes.append(note) }
        ingestor.log(note)
    }

    /// Writes `failed/` outputs (before the commit, so a crash rewrites them identically), marks the
    /// file done in the ledger, and queues its move for after the commit.
    private func finish(_ file: SpoolFile, _ entry: inout LedgerEntry) throws {
        let rejections = entry.counts.rejected > 0 ? try ledger.rejections(fileID: entry.id!) : []
        let anythingGood = entry.counts.accepted + entry.counts.duplicates + entry.counts.statusChanges > 0
        let outcome: FileOutcome = rejections.isEmpty || anythingGood ? .processed : .failed
        entry.outcome = outcome
        if !rejections.isEmpty {
            if outcome == .processed {
                var badLines: [UInt8] = []
                for rejection in rejections {
                    badLines += try file.read(at: rejection.byteOffset, count: rejection.byteLength)
                    badLines.append(0x0A)
                }
                ingestor.failedOutputs.write(file.name, badLines)
            }
            ingestor.failedOutputs.write(SpoolName(file.name.bytes + Array(".error.json".utf8)),
                                         FailureSidecar.encode(file: file.name.description, rejections: rejections))
        }
        // A file with no row yet was begun in this transaction and refused nothing: its commit's
        // record of such files stands for the row (PendingMoves), at a fifth of the writer's work
        // with one payload per file.
        if entry.id != nil { try ledger.save(&entry, at: now, finished: true) }
        report.finishedFilesModifiedAt.append(Double(file.identity.mtimeNanoseconds) / 1e9)
        if outcome == .failed {
            let first = rejections[0]
            report.failedFiles.append(FailedSpoolFile(name: file.name.description, reason: first.field.map { "\($0): \(first.reason)" } ?? first.reason,
                                                      errors: rejections.count,
                                                      bytes: file.identity.size))
        }
        moveAfterCommit(FinishedFile(name: file.name, identity: file.identity, outcome: outcome), ledgerRow: entry.id)
    }

    /// A FIFO, device, link or unreadable file: moved to `failed/` with the reason, so the spool keeps flowing.
    func quarantineUnusable(_ name: SpoolName, reason: String) throws {
        let rejection = Rejection(line: nil, field: nil, reason: "\(name) \(reason)", byteOffset: 0, byteLength: 0)
        ingestor.failedOutputs.write(SpoolName(name.bytes + Array(".error.json".utf8)),
                                     FailureSidecar.encode(file: name.description, rejections: [rejection]))
        try ingestor.failedOutputs.sync()
        try spool.move(name, to: spool.failed)
        report.rejected += 1
        report.failedFiles.append(FailedSpoolFile(name: name.description, reason: reason, errors: 1, bytes: 0))
        let note = RejectionNote(file: name.description, line: nil, field: nil, reason: reason)
        if report.notes.count < IngestReport.noteLimit { report.notes.append(note) }
        ingestor.log(note)
    }
}
