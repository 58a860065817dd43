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
    /// The watch on the spool's parent directory, and the spool's name in it: a spool deleted or
    /// renamed while triage holds it open sends nothing on its own watch (it lives on, unlinked,
    /// until closed), so its parent says when the name goes.
    private let parentWatch: Int32
    private let name: [UInt8]
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
        // The follower, woken, finds the spool gone (`SpoolDirectory.checkStillAtPath`) rather than
        // waiting on a directory no producer can reach. Best effort: a parent it may not watch
        // leaves the check to the next pass.
        let parent = (path as NSString).deletingLastPathComponent
        parentWatch = inotify_add_watch(inotify, parent.isEmpty ? "." : parent, UInt32(IN_DELETE | IN_MOVED_FROM | IN_CREATE | IN_MOVED_TO))
        name = Array((path as NSString).lastPathComponent.utf8)
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
        while true {
            var ready: Int32
            repeat {
                ready = poll(&descriptors, 2, milliseconds)
            } while ready < 0 && errno == EINTR
            guard ready > 0 else { return .timedOut }
            var woken = false
            if descriptors[1].revents & Int16(POLLIN) != 0 {
                let sent = wakeup.drain()
                if sent.contains(Self.stopByte) {
                    stopped = true
                    return .stopped
                }
                woken = !sent.isEmpty
            }
            if concernsTheSpool(SelfPipe.drain(inotify)) || woken { return .changed }
        }
    }

    /// Whether any event is the spool's own, or its name's in the parent directory (the store and
    /// other files often share that directory: their comings and goings are not the spool's).
    private func concernsTheSpool(_ events: [UInt8]) -> Bool {
        var at = 0
        let header = MemoryLayout<inotify_event>.size
        while events.count - at >= header {
            let (watch, length) = events.withUnsafeBytes { raw in
                (raw.loadUnaligned(fromByteOffset: at, as: Int32.self), Int(raw.loadUnaligned(fromByteOffset: at + 12, as: UInt32.self)))
            }
            let nameBytes = events[(at + header)..<min(events.count, at + header + length)].prefix { $0 != 0 }
            if parentWatch < 0 || watch != parentWatch || nameBytes.elementsEqual(name) { return true }
            at += header + length
        }
        // Anything unparsed means "look again".
        return at < events.count
    }

    /// Makes a `wait` return `.changed` (from any thread).
    public func wake() { wakeup.send(Self.wakeByte) }

    /// Makes a `wait`, and every later one, return `.stopped` (from any thread or a signal's dispatch source).
    public func stop() { wakeup.send(Self.stopByte) }

    private static let wakeByte: UInt8 = 1
    private static let stopByte: UInt8 = 2
}
