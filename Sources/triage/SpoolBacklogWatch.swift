import Foundation
import TriageEngine

/// Counts, once a second on a thread of its own, the files a followed spool holds that are not yet
/// ingested and the files moved to `failed/` since the UI opened (a file goes there when any of its
/// payloads is refused, and links and FIFOs as they are): the header's "ingesting · 1,234 files
/// waiting · 2 files with refused payloads". The follower reports only whole passes, and the first
/// pass takes the whole backlog, so the count comes from the directory itself (`SpoolEntries`).
final class SpoolBacklogWatch: @unchecked Sendable {
    struct Counts: Equatable {
        var waiting = 0
        var failed = 0
    }

    private let spoolPath: String
    private let lock = NSLock()
    private var stopped = false

    init(spoolPath: String) { self.spoolPath = spoolPath }

    func stop() { lock.withLock { stopped = true } }

    /// Starts the thread; `onChange` hears each count that differs from the last.
    func start(priority: IngestPriority = .belowInteractive, onChange: @escaping @Sendable (Counts) -> Void) {
        let path = spoolPath
        let thread = Thread { [self] in
            priority.adopt(threadLabel: "triage.backlog")
            let failedAtStart = SpoolEntries.failed(inSpool: path)
            var last: Counts?
            while !lock.withLock({ stopped }) {
                let counts = Counts(waiting: SpoolEntries.waiting(inSpool: path),
                                    failed: max(0, SpoolEntries.failed(inSpool: path) - failedAtStart))
                if counts != last {
                    last = counts
                    onChange(counts)
                }
                Thread.sleep(forTimeInterval: 1)
            }
        }
        thread.start()
    }
}
