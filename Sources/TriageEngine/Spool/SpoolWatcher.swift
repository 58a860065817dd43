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
    /// A self-pipe: `wake()` and `stop()` write to it, `wait` polls its read end.
    private let wakeupRead: Int32
    private let wakeupWrite: Int32
    private var stopped = false

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
        for end in ends {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            _ = fcntl(end, F_SETFL, O_NONBLOCK)
        }
        wakeupRead = ends[0]
        wakeupWrite = ends[1]
    }

    deinit {
        close(inotify)
        close(wakeupRead)
        close(wakeupWrite)
    }

    /// Blocks until something lands, `wake()` or `stop()` is called, or `timeout` seconds pass (nil: no timeout).
    /// After `stop()`, every wait returns `.stopped` at once. Called from one thread only.
    public func wait(timeout: Double?) -> Wake {
        if stopped { return .stopped }
        var descriptors = [pollfd(fd: inotify, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: wakeupRead, events: Int16(POLLIN), revents: 0)]
        let milliseconds = timeout.map { Int32(max(0, min($0 * 1000, Double(Int32.max)))) } ?? -1
        var ready: Int32
        repeat {
            ready = poll(&descriptors, 2, milliseconds)
        } while ready < 0 && errno == EINTR
        guard ready > 0 else { return .timedOut }
        if descriptors[1].revents & Int16(POLLIN) != 0, drain(wakeupRead).contains(Self.stopByte) {
            stopped = true
            return .stopped
        }
        _ = drain(inotify)
        return .changed
    }

    /// Makes a `wait` return `.changed` (from any thread).
    public func wake() { send(Self.wakeByte) }

    /// Makes a `wait`, and every later one, return `.stopped` (from any thread or a signal's dispatch source).
    public func stop() { send(Self.stopByte) }

    private static let wakeByte: UInt8 = 1
    private static let stopByte: UInt8 = 2

    private func send(_ byte: UInt8) {
        var byte = byte
        _ = write(wakeupWrite, &byte, 1)
    }

    private func drain(_ descriptor: Int32) -> [UInt8] {
        var drained: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { return drained }
            drained += buffer.prefix(count)
        }
    }
}
