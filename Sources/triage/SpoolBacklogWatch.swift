import Foundation
import TriageEngine

/// Counts, once a second on a thread of its own, the files a followed spool holds that are not yet
/// ingested and the files moved to `failed/` since the UI opened (a file goes there when any of its
/// payloads is refused): the header's "ingesting · 1,234 files waiting · 2 files with refused payloads". The follower reports only whole passes, and the first pass takes the
/// whole backlog, so the count comes from the directory itself: a listing, no stat, no sort.
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
            let failedAtStart = Self.failedFiles(in: path + "/failed")
            var last: Counts?
            while !lock.withLock({ stopped }) {
                let counts = Counts(waiting: Self.waitingFiles(in: path),
                                    failed: max(0, Self.failedFiles(in: path + "/failed") - failedAtStart))
                if counts != last {
                    last = counts
                    onChange(counts)
                }
                Thread.sleep(forTimeInterval: 1)
            }
        }
        thread.start()
    }

    /// Files an ingest pass would take: `*.json`, `*.jsonl`, `*.ndjson`, not dot-files (as `SpoolDirectory` lists them).
    static func waitingFiles(in directory: String) -> Int {
        count(in: directory) { name in
            !name.hasPrefix(".") && (name.hasSuffix(".json") || name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson"))
        }
    }

    /// Files in `failed/`, not counting the `NAME.error.json` that says why each failed.
    static func failedFiles(in directory: String) -> Int {
        count(in: directory) { !$0.hasPrefix(".") && !$0.hasSuffix(".error.json") }
    }

    private static func count(in directory: String, where include: (String) -> Bool) -> Int {
        guard let stream = opendir(directory) else { return 0 }
        defer { closedir(stream) }
        var total = 0
        while let entry = readdir(stream) {
            // Regular files only; DT_UNKNOWN (a few file systems) is counted rather than stat'ed.
            guard entry.pointee.d_type == UInt8(DT_REG) || entry.pointee.d_type == UInt8(DT_UNKNOWN) else { continue }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if include(name) { total += 1 }
        }
        return total
    }
}
