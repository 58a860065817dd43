import Foundation
import Logging

/// What an ingest pass reports beyond its summary: metrics (counts by outcome, status changes by
/// cause, latency) and the `ingest.file_failed` analytics event for each file quarantined whole.
struct IngestTelemetry {
    let store: any IngestStore
    let analytics: Analytics
    let metrics: TriageMetrics?
    let logger: Logger

    /// The newest history entry before the pass: changes after it are the pass's (and the rules').
    func historyMark() throws -> Int64 {
        guard metrics != nil else { return 0 }
        return try store.newestHistoryID()
    }

    func record(_ report: IngestReport, since historyMark: Int64) {
        analytics.recordAll(report.failedFiles.map { file in
            ("ingest.file_failed", ["file": .string(file.name), "reason": .string(file.reason), "errors": .int(Int64(file.errors)),
                                    "bytes": .int(file.bytes)])
        })
        guard let metrics else { return }
        // Per pass, not per occurrence: rare enough to count every one (sample rate 1).
        for (outcome, count) in [("accepted", report.accepted), ("rejected", report.rejected), ("duplicate", report.duplicates),
                                 ("noise_held", report.noiseHeld)] {
            metrics.increment(MetricNames.occurrences, by: count, tags: [("outcome", outcome)], sampleRate: 1)
        }
        metrics.increment(MetricNames.groupsCreated, by: report.groupsCreated, sampleRate: 1)
        metrics.increment(MetricNames.spoolFiles, by: report.failedFiles.count, tags: [("outcome", "failed")], sampleRate: 1)
        metrics.increment(MetricNames.spoolFiles, by: report.processedFiles, tags: [("outcome", "processed")], sampleRate: 1)
        let now = Date().timeIntervalSince1970
        metrics.recordSeconds(MetricNames.ingestLatency, report.finishedFilesModifiedAt.map { now - $0 })
        if report.files > 0 || report.ruleChanges > 0 { metrics.recordSeconds(MetricNames.ingestPass, report.seconds) }
        do {
            // Users' changes are counted by the process that made them; creation is groups_created.
            for (cause, count) in try store.transitionCounts(since: historyMark) {
                metrics.increment(MetricNames.statusChanges, by: count, tags: [("cause", cause)], sampleRate: 1)
            }
            try store.persist(metrics)
        } catch {
            logger.warning("metrics: \(error)")
        }
    }
}
