import GRDB
import GRDBSQLite

/// Lets a caller end store reads early, so a slow query never holds up what matters more (a key
/// the user just typed). Inside `run`, SQLite asks `shouldStop` every thousand virtual-machine steps
/// (tens of microseconds), the team store while it waits for the server (which it then asks to
/// cancel the statement), and a read stopped either way throws `ReadInterrupted`; nothing is
/// half-written, because only reads are watched.
public enum ReadInterruption {
    @TaskLocal static var shouldStop: (@Sendable () -> Bool)?

    /// The condition the reads now running should stop on, if any: for a backend that watches its own.
    package static var current: (@Sendable () -> Bool)? { shouldStop }

    public static func run<T>(stoppingWhen shouldStop: @escaping @Sendable () -> Bool, _ body: () throws -> T) throws -> T {
        do {
            return try $shouldStop.withValue(shouldStop, operation: body)
        } catch let error as any InterruptedRead where error.isInterruptedRead {
            throw ReadInterrupted()
        }
    }

    /// Runs `body` on `db` with the progress handler installed, and removes it before the read's
    /// transaction ends (a handler left in place would interrupt the COMMIT too).
    static func watching<T>(_ db: Database, _ shouldStop: @escaping @Sendable () -> Bool, _ body: () throws -> T) throws -> T {
        // A read asked to stop before it starts does not start (the run loop asks when a key waits).
        if shouldStop() { throw ReadInterrupted() }
        guard let connection = db.sqliteConnection else { return try body() }
        let check = Unmanaged.passRetained(Check(shouldStop))
        sqlite3_progress_handler(connection, 1_000, { context in
            Unmanaged<Check>.fromOpaque(context!).takeUnretainedValue().shouldStop() ? 1 : 0
        }, check.toOpaque())
        defer {
            sqlite3_progress_handler(connection, 0, nil, nil)
            check.release()
        }
        return try body()
    }

    private final class Check {
        let shouldStop: @Sendable () -> Bool
        init(_ shouldStop: @escaping @Sendable () -> Bool) { self.shouldStop = shouldStop }
    }
}

/// A read ended by `ReadInterruption` before it finished.
public struct ReadInterrupted: Error, Equatable {}

/// A backend's own error that may mean its read was stopped by `ReadInterruption`.
package protocol InterruptedRead: Error {
    var isInterruptedRead: Bool { get }
}
