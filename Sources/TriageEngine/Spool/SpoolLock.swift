import Foundation

/// One ingester per spool: an exclusive `flock` on `.triage.lock` inside it (a dot-file, so never ingested).
/// The kernel drops the lock when the process dies, however it dies.
final class SpoolLock {
    private let descriptor: Int32

    init(spool: SpoolDirectory) throws {
        descriptor = openat(spool.descriptor, ".triage.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw SpoolError.cannotOpen(path: spool.path, reason: "cannot create .triage.lock: \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw SpoolError.busy(path: spool.path)
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
