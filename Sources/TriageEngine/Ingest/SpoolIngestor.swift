import Foundation
import Logging

/// Ingests a spool directory into a store, file by file in byte order of their names.
///
/// Crash safety comes from one rule: a file's progress (ledger row, byte offset, refusals) is
/// committed in the same transaction as the rows it produced, and a file leaves the spool only after
/// that commit. A run killed at any instant resumes from the last commit; a file whose ledger says
/// it is done is only moved. Occurrence ids are unique in the store as a second line of defence.
public final class SpoolIngestor {
    public let spool: SpoolDirectory
    public let decoder: PayloadDecoder
    private let pipeline: IngestPipeline
    private let lock: SpoolLock
    private let telemetry: IngestTelemetry
    /// When the time-based rules last ran (they run at the start of a pass at most once a minute).
    private var rulesRanAt: Double?
    /// Payloads that made a stage fail, with the reason: refused when met again (`PoisonedPayload`).
    private var poisoned: [PoisonedPayload.Key: String] = [:]
    /// Entries left unread that a report has named already: a follower names each once.
    private var toldUnread = Set<SpoolName>()
    var hooks = IngestHooks()

    /// Takes the spool's lock for as long as the ingestor lives; throws `SpoolError.busy` if another
    /// process holds it. A transaction commits after `batchRows` payloads or `longestTransaction`
    /// seconds, whichever comes first. `memory` sets the store's writer connection's page cache;
    /// `priority` is the helper threads' (the caller's own thread is the writer's: see `IngestPriority`).
    public convenience init(store: SQLiteStore, spool: SpoolDirectory, limits: PayloadLimits = .default,
                            logger: Logger = Logger(label: "triage.ingest"), batchRows: Int = 50_000,
                            notifications: NotificationCourier? = nil, analytics: Analytics = .disabled, metrics: TriageMetrics? = nil,
                            longestTransaction: Double = 1, memory: IngestMemory = .throughput, priority: IngestPriority = .normal) throws {
        try self.init(ingestingInto: store, spool: spool, limits: limits, logger: logger, batchRows: batchRows,
                      notifications: notifications, analytics: analytics, metrics: metrics, longestTransaction: longestTransaction,
                      memory: memory, priority: priority)
    }

    /// Into any store the pipeline can write to (`IngestStore`); the public initializer names the
    /// one store that is public today.
    package init(ingestingInto store: any IngestStore, spool: SpoolDirectory, limits: PayloadLimits, logger: Logger, batchRows: Int,
         notifications: NotificationCourier?, analytics: Analytics, metrics: TriageMetrics?, longestTransaction: Double,
         memory: IngestMemory, priority: IngestPriority) throws {
        try store.prepareWriter(memory)
        telemetry = IngestTelemetry(store: store, analytics: analytics, metrics: metrics, logger: logger)
        self.spool = spool
        decoder = PayloadDecoder(registry: store.registry, limits: limits, clock: store.clock)
        let dictionary = CurrentDictionary()
        pipeline = IngestPipeline(
            store: store, spool: spool, decoder: decoder,
            // The TUI's ingest keeps to one decode thread besides the writer: the keyboard comes first.
            decodeAhead: DecodeAhead(decoder: decoder, dictionary: dictionary, priority: priority, helper: priority == .normal),
            dictionary: dictionary, groupKeys: GroupKeyCache(), mover: SpoolMover(spool: spool, priority: priority),
            failedOutputs: FailedOutputs(directory: spool.failed, priority: priority), notifications: notifications,
            memory: memory, batchRows: batchRows, longestTransaction: UInt64(max(0, longestTransaction) * 1e9), logger: logger)
        lock = try SpoolLock(spool: spool)
    }

    // Outputs still queued write through the spool's `failed/` descriptor, which closes with it.
    deinit { pipeline.failedOutputs.drain() }

    /// Ingests every file now in the spool. `shouldStop` is polled between payloads; when it returns
    /// true the pass saves its progress, commits and returns with `interrupted` set.
    ///
    /// A payload that makes a stage fail (anything but the disk or the store being unusable, which
    /// ends the pass) is refused with the failure as its reason: the transaction is rolled back, so
    /// nothing it half did stays, and the pass runs again from the last commit, refusing it there.
    public func ingestAvailable(shouldStop: () -> Bool = { false }) throws -> IngestReport {
        var committed = IngestReport()
        return try ingestAvailable(shouldStop: shouldStop, committedBeforeFailure: &committed)
    }

    /// As `ingestAvailable(shouldStop:)`; when it throws, `committedBeforeFailure` holds what its
    /// commits before the failure did (those files are done, and a rerun does not count them again).
    public func ingestAvailable(shouldStop: () -> Bool, committedBeforeFailure: inout IngestReport) throws -> IngestReport {
        let started = Date()
        // Here, not only when the watcher hears of it: a spool replaced under us is no spool of ours.
        try spool.checkStillAtPath()
        let historyMark = try telemetry.historyMark()
        let now = pipeline.store.clock.now()
        var ruleChanges = 0
        if rulesRanAt.map({ now - $0 >= LifecycleConfig.ruleInterval || now < $0 }) ?? true {
            ruleChanges = try pipeline.store.applyRules()
            rulesRanAt = now
        }
        var report = IngestReport()
        var poisonedNow = 0
        while true {
            do {
                report.add(try ingestPass(shouldStop: shouldStop, committedBeforeFailure: &report))
                break
            } catch let poison as PoisonedPayload where poisoned[poison.key] == nil && poisonedNow < PoisonedPayload.limit {
                pipeline.logger.warning("\(poison.key.name): a stage failed (\(poison.reason)); refusing that payload and ingesting the rest again")
                poisoned[poison.key] = poison.reason
                poisonedNow += 1
            } catch {
                committedBeforeFailure = report
                // The time the run took until it failed: its summary's rate is over that, not over nothing.
                committedBeforeFailure.seconds = Date().timeIntervalSince(started)
                throw error
            }
        }
        report.ruleChanges = ruleChanges
        report.seconds = Date().timeIntervalSince(started)
        // The time-based rules may have recorded notifications without a commit of the pass's own.
        pipeline.notifications?.wake()
        telemetry.record(report, since: historyMark)
        return report
    }

    /// One pass over the files in the spool now. On a failure, what the commits before it did is
    /// added to `committedBeforeFailure`.
    private func ingestPass(shouldStop: () -> Bool, committedBeforeFailure: inout IngestReport) throws -> IngestReport {
        let finished = try PendingMoves.finishMoves(in: spool, store: pipeline.store)
        if finished.moved > 0 { pipeline.logger.info("moved \(finished.moved) files that a stopped run had ingested but not moved") }
        if finished.unmoved > 0 {
            pipeline.logger.warning("\(finished.unmoved) files that a stopped run had ingested would not move; retrying after this pass")
        }
        let listing = try spool.readyFiles()
        return try pipeline.store.withIngestSession { session in
            let pass = try IngestPass(pipeline, session: session, poisoned: poisoned, hooks: hooks,
                                      now: pipeline.store.clock.now(), files: listing.ready)
            do {
                for (name, reason) in listing.skipped {
                    try pass.quarantineUnusable(name, reason: reason)
                }
                pass.markCommitted()
                for (name, reason) in listing.unread where toldUnread.insert(name).inserted {
                    pass.report.unread.append(RejectionNote(file: name.description, line: nil, field: nil, reason: reason))
                }
                for name in listing.ready {
                    if shouldStop() { pass.report.interrupted = true; break }
                    try pass.ingestFile(name, shouldStop: shouldStop)
                    if pass.report.interrupted { break }
                }
                try pass.finishPass()
                try pipeline.mover.drain()
                try pass.forgetMovedFiles()
            } catch {
                try? pass.rollback()
                // Group ids the rolled-back transaction created are no longer in the store.
                pipeline.groupKeys.removeAll()
                // Moves of what was committed before the failure still happen.
                try? pipeline.mover.drain()
                committedBeforeFailure.add(pass.committed)
                throw error
            }
            return pass.report
        }
    }
}
