import Foundation

/// Follows a spool: one ingest pass now, then one each time files land, until stopped. Shared by
/// `ingest --follow` (in the foreground) and the TUI (on a background thread), and pausable.
public final class SpoolFollower: @unchecked Sendable {
    private let watcher: SpoolWatcher
    private let lock = NSLock()
    private var paused = false
    private var stopRequested = false

    public init(spoolPath: String) throws {
        watcher = try SpoolWatcher(path: spoolPath)
    }

    /// While paused, files wait in the spool; resuming ingests them at once.
    public var isPaused: Bool {
        get { lock.withLock { paused } }
        set {
            lock.withLock { paused = newValue }
            watcher.wake()
        }
    }

    public var isStopRequested: Bool { lock.withLock { stopRequested } }

    /// Ends `run` after its current pass, which commits what it has done so far.
    public func stop() {
        lock.withLock { stopRequested = true }
        watcher.stop()
    }

    /// Waits `seconds`, or less if `stop()` is called meanwhile.
    public func sleep(seconds: Double) {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while !isStopRequested, Date() < deadline { Thread.sleep(forTimeInterval: min(0.05, max(0, deadline.timeIntervalSinceNow))) }
    }

    /// Runs passes until `stop()`, reporting each one (a pass that failed reports what it committed,
    /// then the failure is thrown). The periodic timeout is only a safety net for a lost event;
    /// listing the spool is what decides what to ingest.
    public func run(_ ingestor: SpoolIngestor, onPass: (IngestReport) -> Void) throws {
        repeat {
            if !isPaused {
                var committed = IngestReport()
                do {
                    onPass(try ingestor.ingestAvailable(shouldStop: { self.isStopRequested }, committedBeforeFailure: &committed))
                } catch {
                    if !committed.isEmpty { onPass(committed) }
                    throw error
                }
            }
        } while !isStopRequested && watcher.wait(timeout: 60) != .stopped
    }
}
