/// What one ingest pass did; the CLI prints it as the summary.
public struct IngestReport: Sendable, Equatable {
    public var files = 0
    public var accepted = 0
    public var duplicates = 0
    public var rejected = 0
    /// Occurrences held below their type's noise limit as they arrived. Each is counted once, by
    /// the pass that stored it, whatever happens to it later, so totals add up across passes.
    public var noiseHeld = 0
    /// Held occurrences (of this pass or an earlier one) attached to the group their key formed.
    public var noiseReleased = 0
    public var groupsCreated = 0
    /// Changes applied by status-change payloads.
    public var statusChanges = 0
    /// Resolved groups that new occurrences regressed.
    public var regressions = 0
    /// Ignored groups that new occurrences escalated (a condition met, or a forecast beaten).
    public var escalations = 0
    /// Groups the time-based lifecycle rules moved (ongoing, auto-resolved, ignore lapsed).
    public var ruleChanges = 0
    public var notificationsSent = 0
    /// Deliveries that failed this pass (each is retried later).
    public var notificationsFailed = 0
    public var seconds = 0.0
    /// The first refusals, for the terminal; every one is in `failed/*.error.json`.
    public var notes: [RejectionNote] = []
    /// Spool entries no pass reads (another extension, a directory), each told once per ingester.
    public var unread: [RejectionNote] = []
    /// True when the pass stopped early because it was asked to (progress is saved).
    public var interrupted = false
    /// Files moved to `failed/` whole, for analytics.
    public var failedFiles: [FailedSpoolFile] = []
    /// Modification times of the files this pass finished, for the ingest-latency timer.
    public var finishedFilesModifiedAt: [Double] = []
    /// Files moved to `processed/`.
    public var processedFiles = 0

    public static let noteLimit = 20

    public init() {}

    /// Nothing was stored, refused or moved: the time it took aside, an empty report.
    public var isEmpty: Bool {
        var counts = self
        counts.seconds = 0
        return counts == IngestReport()
    }

    public mutating func add(_ other: IngestReport) {
        files += other.files
        accepted += other.accepted
        duplicates += other.duplicates
        rejected += other.rejected
        noiseHeld += other.noiseHeld
        noiseReleased += other.noiseReleased
        groupsCreated += other.groupsCreated
        statusChanges += other.statusChanges
        regressions += other.regressions
        escalations += other.escalations
        ruleChanges += other.ruleChanges
        notificationsSent += other.notificationsSent
        notificationsFailed += other.notificationsFailed
        seconds += other.seconds
        notes += other.notes.prefix(Self.noteLimit - min(notes.count, Self.noteLimit))
        unread += other.unread
        interrupted = interrupted || other.interrupted
        failedFiles += other.failedFiles
        finishedFilesModifiedAt += other.finishedFilesModifiedAt
        processedFiles += other.processedFiles
    }
}

/// One refusal: `file:line: field: reason`.
public struct RejectionNote: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let field: String?
    public let reason: String

    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return field.map { "\(place): \($0): \(reason)" } ?? "\(place): \(reason)"
    }
}

/// A spool file that went to `failed/` as a whole.
public struct FailedSpoolFile: Sendable, Equatable {
    public let name: String
    /// The first reason; the sidecar has them all.
    public let reason: String
    public let errors: Int
    public let bytes: Int64
}
