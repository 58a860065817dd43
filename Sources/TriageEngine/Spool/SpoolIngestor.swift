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
    /// Payloads that made a stage fail, with the reason: refused when met again (`PoisonedPayload`).
    fileprivate var poisoned: [PoisonedPayload.Key: String] = [:]
    /// Runs after the writer applied each occurrence; a test makes it throw to stand for a writer
    /// that fails on one payload.
    var afterWrite: ((Occurrence) throws -> Void)?
    /// Runs when a `.jsonl` file has been read to its end; a test appends to it there.
    var afterReadingLines: ((SpoolName) -> Void)?

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
    ///
    /// A payload that makes a stage fail (anything but the disk or the store being unusable, which
    /// ends the pass) is refused with the failure as its reason: the transaction is rolled back, so
    /// nothing it half did stays, and the pass runs again from the last commit, refusing it there.
    public func ingestAvailable(shouldStop: () -> Bool = { false }) throws -> IngestReport {
        let started = Date()
        // Here, not only when the watcher hears of it: a spool replaced under us is no spool of ours.
        try spool.checkStillAtPath()
        let historyMark = try telemetry.historyMark()
        let now = store.clock.now()
        var ruleChanges = 0
        if rulesRanAt.map({ now - $0 >= LifecycleConfig.ruleInterval || now < $0 }) ?? true {
            ruleChanges = try store.applyRules()
            rulesRanAt = now
        }
        var report = IngestReport()
        var poisonedNow = 0
        while true {
            do {
                report.add(try ingestPass(shouldStop: shouldStop, committedBeforeFailure: &report))
                break
            } catch let poison as PoisonedPayload where poisoned[poison.key] == nil && poisonedNow < PoisonedPayload.limit {
                logger.warning("\(poison.key.name): a stage failed (\(poison.reason)); refusing that payload and ingesting the rest again")
                poisoned[poison.key] = poison.reason
                poisonedNow += 1
            }
        }
        report.ruleChanges = ruleChanges
        report.seconds = Date().timeIntervalSince(started)
        // The time-based rules may have recorded notifications without a commit of the pass's own.
        notifications?.wake()
        telemetry.record(report, since: historyMark)
        return report
    }

    /// One pass over the files in the spool now. On a failure, what the commits before it did is
    /// added to `committedBeforeFailure`.
    private func ingestPass(shouldStop: () -> Bool, committedBeforeFailure: inout IngestReport) throws -> IngestReport {
        let finished = try PendingMoves.finishMoves(in: spool, store: store)
        if finished.moved > 0 { logger.info("moved \(finished.moved) files that a stopped run had ingested but not moved") }
        if finished.unmoved > 0 { logger.warning("\(finished.unmoved) files that a stopped run had ingested would not move; retrying after this pass") }
        let listing = try spool.readyFiles()
        return try store.pool.writeWithoutTransaction { db in
            let pass = try IngestPass(db: db, ingestor: self, now: store.clock.now(), files: listing.ready)
            do {
                for (name, reason) in listing.skipped {
                    try pass.quarantineUnusable(name, reason: reason)
                }
                pass.markCommitted()
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
                // Group ids the rolled-back transaction created are no longer in the store.
                cache.removeAll()
                // Moves of what was committed before the failure still happen.
                try? mover.drain()
                committedBeforeFailure.add(pass.committed)
                throw error
            }
            return pass.report
        }
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
    /// The report as of the last commit: what stays done if the pass fails later.
    private(set) var committed = IngestReport()
    private var inTransaction = false
    private var rowsInTransaction = 0
    /// When the open transaction began (monotonic nanoseconds).
    private var transactionStarted: UInt64 = 0
    /// Each with its file's ledger row, or none: then the commit records it (`PendingMoves`).
    /// Either is what finishes the move after a crash.
    private var movesAfterCommit: [(file: FinishedFile, ledgerRow: Int64?, failedAttempt: Int, readTo: Int64)] = []
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
    /// commit, and those of the last transaction are all the mover does after the writer is done.
    /// Halving the transactions towards the end keeps the mover busy while the writer works.
    private var transactionIsFull: Bool {
        rowsInTransaction >= ingestor.rowsPerTransaction
            || movesAfterCommit.count >= max(Self.movesWorthACommit, filesLeft)
            || (inTransaction && DispatchTime.now().uptimeNanoseconds - transactionStarted >= ingestor.longestTransaction)
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
            moves.append(move.file.outcome == .processed
                ? SpoolMove(name: move.file.name, destination: spool.processed, expectedSize: move.readTo)
                : SpoolMove(name: move.file.name, destination: spool.failed, firstAttempt: move.failedAttempt,
                            reserve: ArchiveName.failedReserve, expectedSize: move.readTo))
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
        committed = report
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

    /// Queues a finished file's move for after the commit; one refused whole goes to `failedAttempt`'s
    /// name, beside its sidecar. `readTo`: where reading it ended (a file larger at the move stays).
    private func moveAfterCommit(_ file: FinishedFile, ledgerRow: Int64?, failedAttempt: Int = 0, readTo: Int64) {
        movesAfterCommit.append((file, ledgerRow, failedAttempt, readTo))
    }

    /// What was done outside any transaction (quarantined links and FIFOs) stays done.
    func markCommitted() { committed = report }

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
                // Done by an earlier run that stopped before moving it; its sidecar is written already.
                let attempt = outcome == .failed
                    ? ingestor.failedOutputs.attempt(for: name, modified: file.identity.mtimeNanoseconds, whole: true) : 0
                moveAfterCommit(FinishedFile(name: name, identity: file.identity, outcome: outcome), ledgerRow: existing.id,
                                failedAttempt: attempt, readTo: max(existing.byteOffset, file.identity.size))
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
        let refusal: Refusal?
        if size > limits.maxPayloadBytes {
            // Refused by size alone: a 2 GB file is never read into memory.
            refusal = Refusal(PayloadError.tooLarge(size: size, limit: limits.maxPayloadBytes))
        } else {
            refusal = try apply(decoded ?? ingestor.decodeAhead.decodeNow(try file.read(at: 0, count: size)), from: file, line: nil,
                                into: &entry.counts)
        }
        if let refusal {
            try refuse(file, &entry, line: nil, offset: 0, length: size, refusal)
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
            readLines(file, from: entry)
        }
        while true {
            // The lines are not kept in a local: `recycle` frees them on the decode queue only if the
            // batch holds the last reference.
            while let current = try batches.next() {
                // The next file's first lines are decoded while this file's last ones are applied.
                if current.reachedEnd || batches.endIsRead { prefetch.startNextLineFile() }
                for (line, outcome) in try current.wait() {
                    let refusal: Refusal?
                    switch outcome {
                    case .blank: refusal = nil
                    case let .decoded(decoded): refusal = try apply(decoded, from: file, line: line.number, into: &entry.counts)
                    }
                    if let refusal { try refuse(file, &entry, line: line.number, offset: line.offset, length: line.length, refusal) }
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
            ingestor.afterReadingLines?(file.name)
            // A producer writing in place (outside the rename protocol) may have appended since the
            // reader reached the end: those lines are read before the file is finished and moved.
            guard let size = file.currentSize(), size > entry.byteOffset else { break }
            batches = readLines(file, from: entry)
        }
        try finish(file, &entry)
    }

    private func readLines(_ file: SpoolFile, from entry: LedgerEntry) -> LineBatches {
        LineBatches(LineSource(LineReader(file: file, from: entry.byteOffset, line: entry.line, maxLineBytes: limits.maxPayloadBytes)),
                    decodeAhead: ingestor.decodeAhead)
    }

    /// Applies one decoded payload (a refusal counts as a row too); returns the refusal, if any.
    /// A payload that made a stage fail before is refused with that failure, unapplied; one that
    /// makes a stage fail now ends the pass as `PoisonedPayload`, to be refused when it runs again.
    private func apply(_ decoded: DecodedPayload, from file: SpoolFile, line: Int?, into counts: inout FileCounts) throws -> Refusal? {
        let key = PoisonedPayload.Key(name: file.name, identity: file.identity, line: line)
        if let reason = ingestor.poisoned[key] {
            rowsInTransaction += 1
            return Refusal(field: nil, reason: "could not be stored: \(reason)")
        }
        do {
            switch decoded {
            case let .success((payload, prepared)): return try apply(payload, prepared, into: &counts).map(Refusal.init)
            case let .failure(error):
                rowsInTransaction += 1
                return Refusal(error)
            }
        } catch where PoisonedPayload.isCausedByThePayload(error) {
            throw PoisonedPayload(key: key, reason: String(describing: error))
        }
    }

    /// Applies one payload that decoded; returns the refusal, if any.
    private func apply(_ payload: Payload, _ prepared: PreparedRow?, into counts: inout FileCounts) throws -> PayloadError? {
        rowsInTransaction += 1
        switch payload {
        case let .occurrence(occurrence):
            let outcome = try writer.ingest(occurrence, prepared: prepared)
            try ingestor.afterWrite?(occurrence)
            switch outcome {
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
                        _ refusal: Refusal) throws {
        entry.counts.rejected += 1
        report.rejected += 1
        let fileID = try ledger.claim(&entry, at: now)
        try ledger.recordRejection(fileID: fileID, line: line, offset: offset, length: length, field: refusal.field, reason: refusal.reason)
        let note = RejectionNote(file: file.name.description, line: line, field: refusal.field, reason: refusal.reason)
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
        var failedAttempt = 0
        if !rejections.isEmpty {
            let modified = file.identity.mtimeNanoseconds
            failedAttempt = ingestor.failedOutputs.attempt(for: file.name, modified: modified, whole: outcome == .failed)
            let stem = ArchiveName.name(for: file.name, attempt: failedAttempt, reserve: ArchiveName.failedReserve)
            if outcome == .processed {
                ingestor.failedOutputs.write(stem, .lines(of: file, rejections.map { (offset: $0.byteOffset, length: $0.byteLength) }), modified: modified)
            }
            ingestor.failedOutputs.write(ArchiveName.sidecar(of: stem), .bytes(FailureSidecar.encode(file: file.name.text, rejections: rejections)),
                                         modified: modified)
        }
        // A file with no row yet was begun in this transaction and refused nothing: its commit's
        // record of such files stands for the row (PendingMoves), at a fifth of the writer's work
        // with one payload per file.
        if entry.id != nil { try ledger.save(&entry, at: now, finished: true) }
        report.finishedFilesModifiedAt.append(Double(file.identity.mtimeNanoseconds) / 1e9)
        if outcome == .failed {
            let first = rejections[0]
            report.failedFiles.append(FailedSpoolFile(name: file.name.text, reason: first.field.map { "\($0): \(first.reason)" } ?? first.reason,
                                                      errors: rejections.count,
                                                      bytes: file.identity.size))
        } else {
            report.processedFiles += 1
        }
        moveAfterCommit(FinishedFile(name: file.name, identity: file.identity, outcome: outcome), ledgerRow: entry.id,
                        failedAttempt: failedAttempt, readTo: max(entry.byteOffset, file.identity.size))
    }

    /// A FIFO, device, link or unreadable file: moved to `failed/` with the reason, so the spool keeps flowing.
    func quarantineUnusable(_ name: SpoolName, reason: String) throws {
        var info = stat()
        let modified = name.withCString({ fstatat(spool.descriptor, $0, &info, AT_SYMLINK_NOFOLLOW) }) == 0
            ? FileIdentity(info).mtimeNanoseconds : 0
        let attempt = ingestor.failedOutputs.attempt(for: name, modified: modified, whole: true)
        let stem = ArchiveName.name(for: name, attempt: attempt, reserve: ArchiveName.failedReserve)
        let rejection = Rejection(line: nil, field: nil, reason: "\(name) \(reason)", byteOffset: 0, byteLength: 0)
        ingestor.failedOutputs.write(ArchiveName.sidecar(of: stem), .bytes(FailureSidecar.encode(file: name.text, rejections: [rejection])),
                                     modified: modified)
        try ingestor.failedOutputs.sync()
        try SpoolDirectory.move(SpoolMove(name: name, destination: spool.failed, firstAttempt: attempt, reserve: ArchiveName.failedReserve),
                                from: spool.descriptor)
        report.rejected += 1
        report.failedFiles.append(FailedSpoolFile(name: name.text, reason: reason, errors: 1, bytes: 0))
        let note = RejectionNote(file: name.description, line: nil, field: nil, reason: reason)
        if report.notes.count < IngestReport.noteLimit { report.notes.append(note) }
        ingestor.log(note)
    }
}

/// Why a payload was refused, as the ledger and the sidecar keep it.
private struct Refusal {
    let field: String?
    let reason: String

    init(field: String?, reason: String) {
        self.field = field
        self.reason = reason
    }

    init(_ error: PayloadError) {
        self.init(field: error.field, reason: error.reason)
    }
}
