import ArgumentParser
import Foundation
import TriageEngine

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Ingest the occurrence files in the spool, then exit (or keep watching with --follow).",
        discussion: """
            Files are taken in byte order of their names: NAME.json (one payload) and NAME.jsonl / NAME.ndjson \
            (one per line). Done files move to processed/; refused ones (or, for JSON lines, just the refused \
            lines) go to failed/ with a NAME.error.json sidecar. Killed at any moment, a rerun finishes the job \
            without losing or double-counting anything.
            Exit code 3 when any input was refused (the summary still prints).
            """
    )

    @OptionGroup var locations: Locations

    @Flag(help: "Keep running and ingest new files as they land (inotify; idle costs no CPU). Stop with Ctrl-C.")
    var follow = false

    @Flag(help: "Print the summary as one JSON object.")
    var json = false

    @Option(parsing: .unconditional, help: "Payloads per transaction (one also commits after a second); smaller commits more often (a killed run redoes less).")
    var batchRows = 50_000

    @Option(help: ArgumentHelp("With --follow: serve Prometheus metrics at http://HOST:PORT/metrics (port 0 picks a free one).",
                               valueName: "host:port"))
    var metricsAddr: String?

    func validate() throws {
        if batchRows < 1 { throw ValidationError("--batch-rows must be at least 1.") }
        if metricsAddr != nil, !follow { throw ValidationError("--metrics-addr needs --follow.") }
    }

    func run() throws {
        let config = try locations.loadConfig()
        if case let .team(location) = try StoreTarget.resolve(named: locations.namedStore, config: config) {
            return try runOnTeamStore(location, config: config)
        }
        let store = try locations.openStore(config)
        let spool = try SpoolDirectory(path: locations.spoolPath)
        let metrics = TriageMetrics()
        try metrics.load(from: store)
        let courier = config.notifiers.isEmpty ? nil : try NotificationCourier(store: store, notifiers: config.notifiers, metrics: metrics)
        let ingestor = try SpoolIngestor(store: store, spool: spool, limits: config.limits, batchRows: batchRows,
                                         notifications: courier, analytics: locations.analytics(config), metrics: metrics)
        let stop = StopRequest()
        var total = IngestReport()
        if follow {
            let follower = try SpoolFollower(spoolPath: spool.path)
            if let metricsAddr {
                let bound = try MetricsEndpoint.start(metricsAddr, metrics: metrics, store: store)
                FileHandle.standardError.write(Data("triage: metrics at http://\(bound)/metrics\n".utf8))
            }
            stop.whenRequested { follower.stop() }
            FileHandle.standardError.write(Data("triage: following \(spool.path) (Ctrl-C to stop)\n".utf8))
            try follower.run(ingestor) { pass in
                printNotes(pass)
                total.add(pass)
            }
        } else {
            total = try ingestor.ingestAvailable(shouldStop: { stop.isRequested })
            printNotes(total)
        }
        // Once, what this pass recorded goes out before the summary; stopped (Ctrl-C, or the end of
        // following), what is not delivered yet waits for the next run.
        if let courier {
            let delivery = follow || stop.isRequested ? courier.stop() : courier.finish()
            total.notificationsSent = delivery.delivered
            total.notificationsFailed = delivery.failed
            try? metrics.persist(into: store)
        }
        print(json ? summaryJSON(total) : summaryText(total))
        if total.rejected > 0 { throw ExitCode(3) }
    }

    func printNotes(_ report: IngestReport) {
        var text = report.unread.map { "unread: \($0) (it stays in the spool)\n" }.joined()
        text += report.notes.map { "rejected: \($0)\n" }.joined()
        if report.rejected > report.notes.count {
            text += "rejected: … and \(report.rejected - report.notes.count) more; see \(locations.spoolPath)/failed/*.error.json\n"
        }
        guard !text.isEmpty else { return }
        FileHandle.standardError.write(Data(text.utf8))
    }

    func summaryJSON(_ report: IngestReport) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.field("files", report.files)
        json.field("accepted", report.accepted)
        json.field("duplicates", report.duplicates)
        json.field("rejected", report.rejected)
        json.field("unread", report.unread.count)
        json.field("noise_held", report.noiseHeld)
        json.field("noise_released", report.noiseReleased)
        json.field("groups_created", report.groupsCreated)
        json.field("status_changes", report.statusChanges)
        json.field("regressions", report.regressions)
        json.field("escalations", report.escalations)
        json.field("rule_changes", report.ruleChanges)
        json.field("notifications_sent", report.notificationsSent)
        json.field("notifications_failed", report.notificationsFailed)
        json.field("seconds", (report.seconds * 1000).rounded() / 1000)
        json.field("interrupted", report.interrupted)
        json.endObject()
        return json.text
    }

    func summaryText(_ report: IngestReport) -> String {
        // A rate over an interval the summary prints as 0.00s would be noise.
        let rate = report.seconds >= 0.005 ? " (\(Int(Double(report.accepted) / report.seconds)) occurrences/s)" : ""
        return """
            \(report.files) \(report.files == 1 ? "file" : "files") in \(String(format: "%.2f", report.seconds))s\(rate)\(report.interrupted ? ", interrupted: rerun to finish" : "")
              accepted        \(report.accepted)
              duplicates      \(report.duplicates)
              rejected        \(report.rejected)
              noise-held      \(report.noiseHeld) (released: \(report.noiseReleased))
              groups created  \(report.groupsCreated)
              status changes  \(report.statusChanges) from payloads, \(report.regressions) regressions, \(report.escalations) escalations
              rule changes    \(report.ruleChanges)
              notifications   \(report.notificationsSent) sent\(report.notificationsFailed > 0 ? ", \(report.notificationsFailed) failed (retried later)" : "")
            """
    }
}
