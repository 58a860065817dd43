import Foundation
import TriageEngine

/// Ingests a followed spool on a background thread of the process that shows the store: the TUI,
/// and `bench-ui --follow`, which measures the TUI's work while it does this. The thread and the
/// ingest's helpers run below the UI's priority (`IngestPriority`).
enum FollowThread {
    /// What went wrong when following stopped early.
    enum Ending {
        /// Another process holds the spool's lock: it ingests, and its results land in the store.
        case busy
        case failed(Error)
    }

    /// Starts the thread; `onPass` hears of every pass, `onEnd` of a stop that `follower.stop()` did
    /// not ask for. `courier` (the caller's, which stops it) delivers what the passes record.
    static func start(_ follower: SpoolFollower, store: SQLiteStore, spoolPath: String, limits: PayloadLimits,
                      courier: NotificationCourier?, activity: UserActivity, memory: IngestMemory = .interactive,
                      priority: IngestPriority = .belowInteractive,
                      onPass: @escaping @Sendable (IngestReport) -> Void, onEnd: @escaping @Sendable (Ending) -> Void) {
        let thread = Thread { @Sendable in
            priority.adopt(threadLabel: "triage.follow")
            do {
                let ingestor = try SpoolIngestor(store: store, spool: try SpoolDirectory(path: spoolPath), limits: limits,
                                                 notifications: courier, analytics: activity.analytics, metrics: activity.metrics,
                                                 memory: memory, priority: priority)
                try follower.run(ingestor, onPass: onPass)
            } catch SpoolError.busy {
                onEnd(.busy)
            } catch {
                onEnd(.failed(error))
            }
        }
        thread.start()
    }
}
