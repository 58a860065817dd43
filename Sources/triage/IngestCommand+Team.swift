import ArgumentParser
import Foundation
import Logging
import TriageEngine
import TriagePostgres

/// `triage ingest` into a team store: the same passes over the spool, written through
/// `PostgresIngestStore`. A pass the server failed (gone, or a race it rolled back) left its files
/// in the spool and its ledger at the last commit, so it is simply run again, after a backoff.
extension IngestCommand {
    func runOnTeamStore(_ location: PostgresLocation, config: TriageConfig) throws {
        if metricsAddr != nil {
            throw PostgresFailure.unsupported("--metrics-addr needs a SQLite store; on a team store, watch the database instead")
        }
        let spool = try SpoolDirectory(path: locations.spoolPath)
        // Fails fast when the store cannot be reached or its schema is not this triage's.
        let store = PostgresIngestStore(spool: spool, registry: config.registry, settings: config.engine) {
            try StoreTarget.connect(location, config: config)
        }
        _ = try store.connection()
        // On a connection of its own, so a slow notifier never holds up a pass; every ingester runs
        // one, and each notification goes out through one of them (the outbox's leases).
        let courier = config.notifiers.isEmpty ? nil
            : try NotificationCourier(store: try StoreTarget.openTeam(location, config: config), notifiers: config.notifiers)
        let ingestor = try SpoolIngestor(ingestingInto: store, spool: spool, limits: config.limits,
                                         logger: Logger(label: "triage.ingest"), batchRows: batchRows, notifications: courier,
                                         analytics: locations.analytics(config), metrics: nil, longestTransaction: 1,
                                         memory: .throughput, priority: .normal)
        let stop = StopRequest()
        var total = IngestReport()
        if follow {
            let follower = try SpoolFollower(spoolPath: spool.path)
            stop.whenRequested { follower.stop() }
            FileHandle.standardError.write(Data("triage: following \(spool.path) into \(location.description) (Ctrl-C to stop)\n".utf8))
            try Self.retrying(until: stop) {
                try follower.run(ingestor) { pass in
                    printNotes(pass)
                    total.add(pass)
                }
            }
        } else {
            total = try Self.retrying(until: stop) { try ingestor.ingestAvailable(shouldStop: { stop.isRequested }) } ?? total
            printNotes(total)
        }
        if let courier {
            let delivery = follow || stop.isRequested ? courier.stop() : courier.finish()
            total.notificationsSent = delivery.delivered
            total.notificationsFailed = delivery.failed
        }
        print(json ? summaryJSON(total) : summaryText(total))
        if total.rejected > 0 { throw ExitCode(3) }
    }

    /// Runs `body` until it returns, again after each failure that may pass (`PostgresFailure.isTransient`),
    /// waiting ½ s, then twice as long each time up to 30 s; nil if a stop was asked for meanwhile.
    @discardableResult
    static func retrying<T>(until stop: StopRequest, _ body: () throws -> T) throws -> T? {
        var delay = 0.5
        while true {
            do {
                return try body()
            } catch let failure as PostgresFailure where failure.isTransient {
                FileHandle.standardError.write(Data("triage: \(failure); retrying in \(delay)s\n".utf8))
                let until = Date().addingTimeInterval(delay)
                while Date() < until {
                    if stop.isRequested { return nil }
                    Thread.sleep(forTimeInterval: 0.05)
                }
                delay = min(delay * 2, 30)
            }
        }
    }
}
