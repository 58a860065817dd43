import Foundation

/// Waits for files to land in the spool, with inotify: no polling loop burns CPU while it is idle.
///
/// Producers rename finished files into the spool (`IN_MOVED_TO`) or write them in place
/// (`IN_CLOSE_WRITE`). A queue overflow or a timeout just means "look again": listing the spool is
/// the source of truth, the events only say when to look.
public final class SpoolWatcher: @unchecked Sendable {
    public enum Wake: Equatable {
        /// Files landed, or `wake()` was called.
        case changed
        case timedOut
        case stopped
    }

    private let inotify: Int32
    /// `wake()` and `stop()` write to it, `wait` polls it.
    private let wakeup: SelfPipe
    private var stopped = false

    public init(path: String) throws {
        inotify = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard inotify >= 0 else { throw SpoolError.cannotOpen(path: path, reason: "inotify: \(String(cString: strerror(errno)))") }
        let mask = UInt32(IN_MOVED_TO | IN_CLOSE_WRITE)
        guard inotify_add_watch(inotify, path, mask) >= 0 else {
            close(inotify)
            throw SpoolError.cannotOpen(path: path, reason: "inotify watch: \(String(cString: strerror(errno)))")
        }
        do { wakeup = try SelfPipe() } catch {
            close(inotify)
            throw SpoolError.cannotOpen(path: path, reason: "pipe: \(error)")
        }
    }

    deinit { close(inotify) }

    /// Blocks until something lands, `wake()` or `stop()` is called, or `timeout` seconds pass (nil: no timeout).
    /// After `stop()`, every wait returns `.stopped` at once. Called from one thread only.
    public func wait(timeout: Double?) -> Wake {
        if stopped { return .stopped }
        var descriptors = [pollfd(fd: inotify, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: wakeup.readEnd, events: Int16(POLLIN), revents: 0)]
        let milliseconds = timeout.map { Int32(max(0, min($0 * 1000, Double(Int32.max)))) } ?? -1
        var ready: Int32
        repeat {
            ready = poll(&descriptors, 2, milliseconds)
        } while ready < 0 && errno == EINTR
        guard ready > 0 else { return .timedOut }
        if descriptors[1].revents & Int16(POLLIN) != 0, wakeup.drain().contains(Self.stopByte) {
            stopped = true
            return .stopped
        }
        _ = SelfPipe.drain(inotify)
        return .changed
    }

    /// Makes a `wait` return `.changed` (from any thread).
    public func wake() { wakeup.send(Self.wakeByte) }

    /// Makes a `wait`, and every later one, return `.stopped` (from any thread or a signal's dispatch source).
    public func stop() { wakeup.send(Self.stopByte) }

    private static let wakeByte: UInt8 = 1
    private static let stopByte: UInt8 = 2
}
