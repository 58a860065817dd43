import ArgumentParser
import Foundation
import Logging
import TriageEngine
import TriagePostgres

/// `triage ingest` into a team store: the same passes over the spool, written through
/// `PostgresIngestStore`. A pass the server failed (gone, or a race it rolled back) left its files
/// in the spool and its ledger at the last commit, so it can simply run again.
///
/// `--follow` rides out an outage: it retries with backoff, saying once that the store is
/// unreachable and once that it is back. A one-shot run retries races but ends at an outage, with
/// status 1 and the summary of what it committed: its scheduler's next run resumes from the ledger.
extension IngestCommand {
    func runOnTeamStore(_ location: PostgresLocation, config: TriageConfig) throws {
        if metricsAddr != nil {
            throw PostgresFailure.unsupported("--metrics-addr needs a SQLite store; on a team store, watch the database instead")
        }
        let spool = try SpoolDirectory(path: locations.spoolPath)
        let stop = StopRequest()
        let retry = TeamIngestRetry(stop: stop)
        // Fails fast when the store cannot be reached or its schema is not this triage's.
        let store = PostgresIngestStore(spool: spool, registry: config.registry, settings: config.engine) {
            let session = try StoreTarget.connect(location, config: config)
            retry.reached()
            return session
        }
        // A host that boots during an outage keeps its follower: it waits for the store as it would
        // mid-run. A one-shot run fails fast.
        while true {
            do {
                _ = try store.connection()
                retry.succeeded()
                break
            } catch let failure as PostgresFailure where follow && failure.isTransient {
                if !retry.waitAfter(failure) { return }
            }
        }
        // On a connection of its own, so a slow notifier never holds up a pass; every ingester runs
        // one, and each notification goes out through one of them (the outbox's leases).
        // One set of counters for the passes and the courier: each pass adds them to the store's totals.
        let metrics = TriageMetrics()
        let courier = config.notifiers.isEmpty ? nil
            : try NotificationCourier(store: try StoreTarget.openTeam(location, config: config), notifiers: config.notifiers,
                                      metrics: metrics, poll: follow ? 2 : nil)
        let ingestor = try SpoolIngestor(ingestingInto: store, spool: spool, limits: config.limits,
                                         logger: Logger(label: "triage.ingest"), batchRows: batchRows, notifications: courier,
                                         analytics: locations.analytics(config), metrics: metrics, longestTransaction: 1,
                                         memory: .throughput, priority: .normal)
        var total = IngestReport()
        if follow {
            let follower = try SpoolFollower(spoolPath: spool.path)
            stop.whenRequested { follower.stop() }
            FileHandle.standardError.write(Data("triage: following \(spool.path) into \(location.description) (Ctrl-C to stop)\n".utf8))
            while true {
                do {
                    try follower.run(ingestor) { pass in
                        retry.succeeded()
                        printNotes(pass)
                        total.add(pass)
                    }
                    break
                } catch let failure as PostgresFailure where failure.isTransient {
                    if !retry.waitAfter(failure) { break }
                }
            }
        } else {
            // The run's own time, retries and backoff included: a summary's rate is over the run that happened.
            let started = Date()
            while true {
                var committed = IngestReport()
                do {
                    total.add(try ingestor.ingestAvailable(shouldStop: { stop.isRequested }, committedBeforeFailure: &committed))
                    break
                } catch let failure as PostgresFailure where failure.isTransient {
                    total.add(committed)
                    if case .unreachable = failure {
                        total.seconds = Date().timeIntervalSince(started)
                        // Stopped before the spool was through, as a Ctrl-C stops it: the rest waits for the next run.
                        total.interrupted = true
                        printNotes(total)
                        print(json ? summaryJSON(total) : summaryText(total))
                        throw TeamIngestRetry.gaveUp(failure, committed: total)
                    }
                    if !retry.waitAfter(failure) { break }
                }
            }
            total.seconds = Date().timeIntervalSince(started)
            printNotes(total)
        }
        if let courier {
            let delivery = follow || stop.isRequested ? courier.stop() : courier.finish()
            total.notificationsSent = delivery.delivered
            total.notificationsFailed = delivery.failed
            // What the courier delivered after the last pass.
            try? store.persist(metrics)
        }
        print(json ? summaryJSON(total) : summaryText(total))
        if total.rejected > 0 { throw ExitCode(3) }
    }
}

/// The team ingest's backoff (½ s, doubling to 5 s, as the TUI's; from ½ s again once a pass succeeds) and what
/// it says: an outage once when it starts and once when it ends, not at every attempt.
final class TeamIngestRetry {
    private let stop: StopRequest
    private var delay = 0.5
    /// The first attempt that failed, and the first that got through after it: the outage between.
    private var outageSince: Date?
    private var reachedAt: Date?

    init(stop: StopRequest) { self.stop = stop }

    /// Says what failed (an outage only at its start) and waits; false if a stop was asked for meanwhile.
    func waitAfter(_ failure: PostgresFailure) -> Bool {
        if case .unreachable = failure {
            // A connection that got through and was lost again did not end the outage.
            reachedAt = nil
            if outageSince == nil {
                outageSince = Date()
                say("\(failure); the store is unreachable, retrying with backoff until it is back (files stay in the spool)")
            }
        } else {
            say("\(failure); retrying")
        }
        let until = Date().addingTimeInterval(delay)
        // Short: a server restarted in seconds should not leave files waiting for long.
        delay = min(delay * 2, 5)
        while Date() < until {
            if stop.isRequested { return false }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return !stop.isRequested
    }

    /// A connection to the store got through: if it holds, the outage ended here, not when the pass
    /// that follows it ends (a pass over a backlog takes a while).
    func reached() {
        if outageSince != nil, reachedAt == nil { reachedAt = Date() }
    }

    func succeeded() {
        delay = 0.5
        if let since = outageSince {
            let seconds = (reachedAt ?? Date()).timeIntervalSince(since)
            outageSince = nil
            reachedAt = nil
            say("the team store is back after \(seconds < 10 ? String(format: "%.1f", seconds) : String(Int(seconds.rounded()))) s; ingesting again")
        }
    }

    private func say(_ text: String) {
        FileHandle.standardError.write(Data("triage: \(text)\n".utf8))
    }

    /// A one-shot run's end at an outage: what it committed is in the summary, the rest in the spool.
    static func gaveUp(_ failure: PostgresFailure, committed: IngestReport) -> TriageFailure {
        .runtime("\(failure); this run committed \(committed.files) files (\(committed.accepted) occurrences) before the store went away, "
                 + "the other files stay in the spool for the next run (--follow waits for the store instead)")
    }
}
