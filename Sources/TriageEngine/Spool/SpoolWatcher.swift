import Foundation

/// Waits for files to land in the spool, with inotify: no polling loop burns CPU while it is idle.
///
/// Producers rename finished files into the spool (`IN_MOVED_TO`) or write them in place
/// (`IN_CLOSE_WRITE`). A queue overflow or a timeout just means "look again": listing the spool is
/// the source of truth, the events only say when to look.
public final class SpoolWatcher: @unchecked Sendable {
    public enum Wake: Equatable {
        case changed
        case timedOut
        case stopped
    }

    private let inotify: Int32
    /// A self-pipe: `stop()` writes to it, `wait` polls its read end.
    private let wakeupRead: Int32
    private let wakeupWrite: Int32

    public init(path: String) throws {
        inotify = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard inotify >= 0 else { throw SpoolError.cannotOpen(path: path, reason: "inotify: \(String(cString: strerror(errno)))") }
        let mask = UInt32(IN_MOVED_TO | IN_CLOSE_WRITE)
        guard inotify_add_watch(inotify, path, mask) >= 0 else {
            close(inotify)
            throw SpoolError.cannotOpen(path: path, reason: "inotify watch: \(String(cString: strerror(errno)))")
        }
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else {
            close(inotify)
            throw SpoolError.cannotOpen(path: path, reason: "pipe: \(String(cString: strerror(errno)))")
        }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        _ = fcntl(ends[1], F_SETFL, O_NONBLOCK)
        wakeupRead = ends[0]
        wakeupWrite = ends[1]
    }

    deinit {
        close(inotify)
        close(wakeupRead)
        close(wakeupWrite)
    }

    /// Blocks until something lands, `stop()` is called, or `timeout` seconds pass (nil: no timeout).
    public func wait(timeout: Double?) -> Wake {
        var descriptors = [pollfd(fd: inotify, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: wakeupRead, events: Int16(POLLIN), revents: 0)]
        let milliseconds = timeout.map { Int32(max(0, min($0 * 1000, Double(Int32.max)))) } ?? -1
        var ready: Int32
        repeat {
            ready = poll(&descriptors, 2, milliseconds)
        } while ready < 0 && errno == EINTR
        if descriptors[1].revents & Int16(POLLIN) != 0 { return .stopped }
        guard ready > 0 else { return .timedOut }
        drain()
        return .changed
    }

    /// Wakes a `wait` (from any thread or a signal handler's dispatch source) and makes later waits return at once.
    public func stop() {
        var byte: UInt8 = 1
        _ = write(wakeupWrite, &byte, 1)
    }

    private func drain() {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while buffer.withUnsafeMutableBytes({ read(inotify, $0.baseAddress, $0.count) }) > 0 {}
    }
}
