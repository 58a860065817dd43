/// Every metric triage exports, named in one place (Prometheus conventions: `_total` for counters,
/// base units in the name).
public enum MetricNames {
    /// Tag `outcome`: accepted, rejected, duplicate, noise_held.
    public static let occurrences = "triage_occurrences_total"
    public static let groupsCreated = "triage_groups_created_total"
    /// Tag `cause`: payload, regression, escalating, rule:ongoing, user, ...
    public static let statusChanges = "triage_status_changes_total"
    /// Tag `outcome`: sent, failed.
    public static let notifications = "triage_notifications_total"
    /// Tag `outcome`: processed, failed.
    public static let spoolFiles = "triage_spool_files_total"
    /// From a file's modification time to the commit that stored it.
    public static let ingestLatency = "triage_ingest_latency_seconds"
    public static let ingestPass = "triage_ingest_pass_seconds"
    /// Tags `tracker`, `action` (create, link, unlink) and `outcome` (ok, failed).
    public static let trackerActions = "triage_tracker_actions_total"

    /// Each metric's `# HELP` line; swift-metrics, which counters and timers go through, carries none.
    static let help: [String: String] = [
        occurrences: "Occurrences read from the spool, by outcome (accepted, rejected, duplicate, noise_held).",
        groupsCreated: "Groups created by ingest.",
        statusChanges: "Group status changes, by cause.",
        notifications: "Notification deliveries, by outcome (sent, failed).",
        spoolFiles: "Spool files finished, by outcome (processed, failed).",
        ingestLatency: "Seconds from a spool file's modification to the commit that stored it.",
        ingestPass: "Seconds an ingest pass took.",
        trackerActions: "Issue-tracker actions, by tracker, action and outcome.",
    ]
}
