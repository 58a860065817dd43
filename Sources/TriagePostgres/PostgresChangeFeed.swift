import Foundation
import PostgresNIO

/// Tells a screen when the team store changed, through `LISTEN`/`NOTIFY` (schema v3's triggers
/// notify `channel` at the commit of every write a screen shows, whoever wrote it).
///
/// It keeps a connection of its own on an event loop of its own, so a busy store session never
/// delays a notification, and its events only wake the caller (they never block it). When the
/// server goes away it says so once and reconnects with backoff (0.1 s doubling to 5 s); each time
/// it listens again, it says `.live`, so the caller catches up on what it missed meanwhile.
public final class PostgresChangeFeed: @unchecked Sendable {
    public enum Event: Sendable, Equatable {
        /// Listening (at first, or again after an outage): re-read, since changes meanwhile were not heard.
        case live
        /// Something a screen shows changed.
        case changed
        /// The server went away, or could not be reached; retrying.
        case unreachable(String)
        /// The server answered but refused the login (the whole sentence): waiting will not change
        /// that, so the feed has stopped.
        case refused(String)
    }

    public static let channel = "triage_changes"

    private let location: PostgresLocation
    private let password: String?
    private let loop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var stopped = false
    private var connection: PostgresConnection?
    private var finished = false

    public init(location: PostgresLocation, password: String?) {
        self.location = location
        self.password = password
    }

    /// Starts listening on a thread of its own; `onEvent` runs on that thread or the feed's event loop.
    public func start(_ onEvent: @escaping @Sendable (Event) -> Void) {
        let thread = Thread { [self] in
            run(onEvent)
            condition.withLock {
                finished = true
                condition.broadcast()
            }
        }
        thread.name = "triage team-store feed"
        thread.start()
    }

    /// Stops listening and closes the connection; waits a moment for the thread to end.
    public func stop() {
        let open = condition.withLock {
            stopped = true
            condition.broadcast()
            return connection
        }
        _ = try? open?.close().wait()
        condition.withLock {
            let deadline = Date().addingTimeInterval(2)
            while !finished, condition.wait(until: deadline) {}
        }
        try? loop.syncShutdownGracefully()
    }

    private var isStopped: Bool { condition.withLock { stopped } }

    private func run(_ onEvent: @escaping @Sendable (Event) -> Void) {
        var delay = 0.1
        var down = false
        while !isStopped {
            do {
                let connection = try PostgresSession.open(location, password: password, on: loop.next(), id: 2)
                connection.addListener(channel: Self.channel) { _, _ in onEvent(.changed) }
                // The listener sends its own LISTEN; this one queues behind it, so once it answers `.live` is true.
                _ = try connection.query(PostgresQuery(unsafeSQL: "LISTEN \(Self.channel)"), logger: PostgresSession.logger).wait()
                let keep = condition.withLock {
                    if !stopped { self.connection = connection }
                    return !stopped
                }
                guard keep else {
                    _ = try? connection.close().wait()
                    return
                }
                delay = 0.1
                down = false
                onEvent(.live)
                try? connection.closeFuture.wait()
                condition.withLock { self.connection = nil }
                if isStopped { return }
                down = true
                onEvent(.unreachable("the connection was closed"))
            } catch {
                if isStopped { return }
                if case .loginRefused = error as? PostgresFailure {
                    onEvent(.refused("\(error)"))
                    return
                }
                if !down {
                    down = true
                    onEvent(.unreachable(reason(error)))
                }
            }
            condition.withLock {
                let deadline = Date().addingTimeInterval(delay)
                while !stopped, condition.wait(until: deadline) {}
            }
            delay = min(delay * 2, 5)
        }
    }

    private func reason(_ error: any Error) -> String {
        if case let .unreachable(_, reason) = error as? PostgresFailure { return reason }
        return PostgresErrorText.reason(error, at: location)
    }
}
