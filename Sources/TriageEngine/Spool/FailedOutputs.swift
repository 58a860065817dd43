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

    /// What goes into a `failed/` file: bytes, or lines of a spool file, each copied a chunk at a time
    /// and ended with a newline (a refused line may be as long as the file: it is never held whole).
    enum Content: Sendable {
        case bytes([UInt8])
        case lines(of: SpoolFile, [(offset: Int64, length: Int)])
    }

    /// Queues `content` for `failed/name`, written atomically (temporary file, then rename), mode 0600,
    /// dated `modified` (the spool file's modification time: how `stem` knows its own outputs).
    /// An error is reported by the next `finishSync()`, before anything that needs the file commits.
    func write(_ name: SpoolName, _ content: Content, modified: Int64) {
        queue.async { [self] in
            guard failure == nil else { return }
            do { try writeNow(name, content, modified: modified) } catch { failure = error as? SpoolError }
        }
    }

    /// The archive attempt (`ArchiveName`) under which a refused file's outputs go: the first whose
    /// names are free, or hold this file's own outputs from a run that stopped before its commit
    /// (dated the file's modification time), which a rerun rewrites identically. So a reused name
    /// never overwrites an earlier file's record. `whole`: the file itself follows, so its name
    /// must be free.
    func attempt(for name: SpoolName, modified: Int64, whole: Bool) -> Int {
        var attempt = 0
        while true {
            let stem = ArchiveName.name(for: name, attempt: attempt, reserve: ArchiveName.failedReserve)
            let data = entry(stem, modified: modified)
            let sidecar = entry(ArchiveName.sidecar(of: stem), modified: modified)
            if sidecar != .taken, data == .free || (data == .ours && !whole) { return attempt }
            attempt += 1
        }
    }

    private enum Entry { case free, ours, taken }

    private func entry(_ name: SpoolName, modified: Int64) -> Entry {
        var info = stat()
        guard name.withCString({ fstatat(directory, $0, &info, AT_SYMLINK_NOFOLLOW) }) == 0 else { return errno == ENOENT ? .free : .taken }
        return info.st_mode & S_IFMT == S_IFREG && FileIdentity(info).mtimeNanoseconds == modified ? .ours : .taken
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

    /// Bytes copied at a time from a spool file.
    static let copyChunkBytes = 1 << 20

    private func writeNow(_ name: SpoolName, _ content: Content, modified: Int64) throws {
        // One name for every output (they are written one at a time): `.NAME.tmp` would not fit
        // beside a name at the length limit.
        let temporary = SpoolName(".triage-output.tmp")
        let fd = temporary.withCString { openat(directory, $0, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600) }
        guard fd >= 0 else { throw SpoolError.cannotWrite(name: name.description, reason: String(cString: strerror(errno))) }
        unsynced.append(fd)
        func put(_ bytes: UnsafeRawBufferPointer) throws {
            var written = 0
            while written < bytes.count {
                let count = Glibc.write(fd, bytes.baseAddress! + written, bytes.count - written)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { throw SpoolError.cannotWrite(name: name.description, reason: String(cString: strerror(errno))) }
                written += count
            }
        }
        switch content {
        case let .bytes(bytes):
            try bytes.withUnsafeBytes(put)
        case let .lines(file, lines):
            for line in lines {
                var copied = 0
                while copied < line.length {
                    let chunk = try file.read(at: line.offset + Int64(copied), count: min(Self.copyChunkBytes, line.length - copied))
                    // The file shrank since it was read: what is left of the line is all there is.
                    if chunk.isEmpty { break }
                    try chunk.withUnsafeBytes(put)
                    copied += chunk.count
                }
                try [UInt8(0x0A)].withUnsafeBytes(put)
            }
        }
        var (seconds, nanoseconds) = modified.quotientAndRemainder(dividingBy: 1_000_000_000)
        if nanoseconds < 0 { (seconds, nanoseconds) = (seconds - 1, nanoseconds + 1_000_000_000) }
        let time = timespec(tv_sec: Int(seconds), tv_nsec: Int(nanoseconds))
        let times = [time, time]
        // Best effort: a file system that cannot date it only loses the rerun's recognition.
        _ = futimens(fd, times)
        guard temporary.withCString({ source in name.withCString { renameat(directory, source, directory, $0) } }) == 0 else {
            throw SpoolError.cannotWrite(name: name.description, reason: String(cString: strerror(errno)))
        }
    }
}
