import Foundation
import TriageEngine

/// Ingests a followed spool on a background thread of the process that shows the store: the TUI,
/// and `bench-ui --follow`, which measures the TUI's work while it does this. The thread and the
/// ingest's helpers run below the UI's priority (`IngestPriority`).
enum FollowThread {
    /// What the thread has to say besides its passes.
    enum Notice {
        /// Another process holds the spool's lock: it ingests, and its results land in the store.
        /// The thread keeps trying for the lock, so the spool is not left unread if that one stops.
        case otherIngester
        /// The other process let the lock go (it stopped, or was killed): this one ingests now.
        case tookOver
        /// Following stopped.
        case failed(Error)
    }

    /// How often a waiting thread tries for the lock again.
    static let lockRetryInterval = 1.0

    /// Starts the thread; `onPass` hears of every pass, `onNotice` of the rest (`follower.stop()`
    /// ends it silently). `courier` (the caller's, which stops it) delivers what the passes record.
    static func start(_ follower: SpoolFollower, store: SQLiteStore, spoolPath: String, limits: PayloadLimits,
                      courier: NotificationCourier?, activity: UserActivity, memory: IngestMemory = .interactive,
                      priority: IngestPriority = .belowInteractive,
                      onPass: @escaping @Sendable (IngestReport) -> Void, onNotice: @escaping @Sendable (Notice) -> Void) {
        let thread = Thread { @Sendable in
            priority.adopt(threadLabel: "triage.follow")
            var waited = false
            while !follower.isStopRequested {
                do {
                    let ingestor = try SpoolIngestor(store: store, spool: try SpoolDirectory(path: spoolPath), limits: limits,
                                                     notifications: courier, analytics: activity.analytics, metrics: activity.metrics,
                                                     memory: memory, priority: priority)
                    if waited { onNotice(.tookOver) }
                    try follower.run(ingestor, onPass: onPass)
                    return
                } catch SpoolError.busy {
                    if !waited { onNotice(.otherIngester) }
                    waited = true
                    follower.sleep(seconds: lockRetryInterval)
                } catch {
                    onNotice(.failed(error))
                    return
                }
            }
        }
        thread.start()
    }
}
