import Dispatch
import Foundation

/// Writes `failed/` outputs (bad lines, `.error.json` sidecars) on a queue of their own and makes
/// them durable before the commit that accounts for them.
///
/// Each output is a new inode and, at the sync, an fsync: about 1 ms each on this machine, 0.4 s of
/// the writer's time in a 200,000-occurrence flood with 1% bad lines. Written here, they overlap the
/// writer's work; `startSync()` at the start of a commit lets the fsyncs overlap its flush too.
/// Syncing a commit's outputs together costs about one journal commit rather than one per file.
final class FailedOutputs: @unchecked Sendable {
    private let queue: SerialWorker
    private let directory: Int32
    // Touched only on the queue.
    private var unsynced: [Int32] = []
    private var failure: SpoolError?

    init(directory: Int32, priority: IngestPriority = .normal) {
        self.directory = directory
        queue = SerialWorker(label: "triage.failed-outputs", priority: priority)
    }

    deinit { unsynced.forEach { close($0) } }

    /// Queues `bytes` for `failed/name`, written atomically (temporary file, then rename), mode 0600.
    /// An error is reported by the next `finishSync()`, before anything that needs the file commits.
    func write(_ name: SpoolName, _ bytes: [UInt8]) {
        queue.async { [self] in
            guard failure == nil else { return }
            do { try writeNow(name, bytes) } catch { failure = error as? SpoolError }
        }
    }

    /// Starts flushing every output queued so far, and the directory entries.
    func startSync() {
        queue.async { [self] in
            defer {
                unsynced.forEach { close($0) }
                unsynced.removeAll()
            }
            guard failure == nil, !unsynced.isEmpty else { return }
            for fd in unsynced + [directory] where fsync(fd) != 0 {
                failure = .cannotWrite(name: "failed/", reason: String(cString: strerror(errno)))
                return
            }
        }
    }

    /// Waits for the sync started last; throws the first error since the last call.
    func finishSync() throws {
        let failed: SpoolError? = queue.sync {
            defer { failure = nil }
            return failure
        }
        if let failed { throw failed }
    }

    func sync() throws {
        startSync()
        try finishSync()
    }

    /// Waits until everything queued has run (the directory descriptor is about to close).
    func drain() { queue.sync {} }

    private func writeNow(_ name: SpoolName, _ bytes: [UInt8]) throws {
        let temporary = SpoolName(Array(".".utf8) + name.bytes + Array(".tmp".utf8))
        let fd = temporary.withCString { openat(directory, $0, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600) }
        guard fd >= 0 else { throw SpoolError.cannotWrite(name: name.description, reason: String(cString: strerror(errno))) }
        unsynced.append(fd)
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            guard count > 0 else { throw SpoolError.cannotWrite(name: name.description, reason: String(cString: strerror(errno))) }
            written += count
        }
        guard temporary.withCString({ source in name.withCString { renameat(directory, source, directory, $0) } }) == 0 else {
            throw SpoolError.cannotWrite(name: name.description, reason: String(cString: strerror(errno)))
        }
    }
}
