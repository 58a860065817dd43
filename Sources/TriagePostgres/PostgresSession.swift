import Foundation
import GRDB
import Logging
import PostgresNIO
import TriageEngine

/// One connection to the team store, used synchronously.
///
/// The bridge from PostgresNIO's async world: each statement goes through its `EventLoopFuture` API
/// and the calling thread waits for the result (`wait()`). The callers are the CLI's main thread and
/// the TUI's store threads, never an event loop (NIO traps that) nor a Swift-concurrency task (`wait`
/// is unavailable from async code, so the compiler refuses it), so no cooperative thread ever blocks.
/// A lock keeps one statement (or transaction) on the connection at a time. A connection the server
/// closed (a restart, an outage, `pg_terminate_backend`) is replaced by the next call, never while a
/// transaction is open on it (`transaction` or `begin`), at most once a second, so a screen over a
/// store that went away fails at once instead of dialling on each key.
public final class PostgresSession: @unchecked Sendable {
    public let location: PostgresLocation
    private let password: String?
    /// Replaced under `lock` when the server closed it; nil until a session opened while the server
    /// was away (`connectWhenReachable`) first reaches it.
    private var connection: PostgresConnection?
    /// Whether each new connection checks the schema first: set when the first connection could not
    /// make that check (the server was away), so no statement ever runs on an unchecked store.
    private(set) var checksSchemaOnConnect = false
    /// `connection`'s server process, which a cancel request names; read when first needed.
    private var backendPID: Int32?
    /// A second connection, opened when a read is first stopped, that asks the server to cancel it.
    private var canceller: EventLoopFuture<PostgresConnection>?
    /// Guarded by `lock`: a stopped read's cancel request and its statement's end, which the next
    /// statement waits for; the reader who stopped does not (its frame is drawn meanwhile).
    private var stoppedRead: EventLoopFuture<Void>?
    /// Guarded by `attemptLock`, not `lock`: `retryNow` must not wait behind a statement.
    private var lastReconnectAttempt: Date?
    private let attemptLock = NSLock()
    private let lock = NSLock()
    /// Guarded by `lock`: a transaction `begin` opened and neither `commit` nor `rollback` ended yet.
    private var openedByBegin = false
    /// PostgresNIO logs below info only; triage's own messages say what failed.
    static let logger = Logger(label: "triage.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    private init(location: PostgresLocation, password: String?, connection: PostgresConnection?) {
        self.location = location
        self.password = password
        self.connection = connection
    }

    /// Not waited for (the last reference may go on any thread, an event loop's included); the
    /// connection is kept until it has closed, as PostgresNIO requires.
    deinit {
        connection.map(Self.close)
        canceller?.whenSuccess(Self.close)
    }

    private static func close(_ connection: PostgresConnection) {
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    /// Connects and authenticates; `password` from `PostgresPassword`.
    public static func connect(_ location: PostgresLocation, password: String?) throws(PostgresFailure) -> PostgresSession {
        PostgresSession(location: location, password: password,
                        connection: try open(location, password: password, on: PostgresConnection.defaultEventLoopGroup.any(), id: 1))
    }

    /// Connects if the server answers; if it is unreachable, a session that connects on its first
    /// statement after the server is back (checking the schema then), so a screen can open meanwhile.
    /// A login the server refuses still throws: waiting will not change it.
    public static func connectWhenReachable(_ location: PostgresLocation, password: String?) throws(PostgresFailure) -> PostgresSession {
        do {
            return try connect(location, password: password)
        } catch .unreachable {
            let session = PostgresSession(location: location, password: password, connection: nil)
            session.checksSchemaOnConnect = true
            return session
        }
    }

    /// A new connection on `eventLoop` (the change feed keeps its own loop).
    static func open(_ location: PostgresLocation, password: String?, on eventLoop: any EventLoop, id: Int) throws(PostgresFailure)
        -> PostgresConnection {
        do {
            return try PostgresConnection.connect(on: eventLoop, configuration: configuration(location, password: password), id: id,
                                                  logger: logger).wait()
        } catch let error as PostgresFailure {
            throw error
        } catch let error as PSQLError where Self.refusesTheLogin(error.serverInfo?[.sqlState]) {
            throw .loginRefused(location: location.endpointDescription, reason: PostgresErrorText.reason(error, at: location))
        } catch {
            throw .unreachable(location: location.endpointDescription, reason: PostgresErrorText.reason(error, at: location))
        }
    }

    /// Class 28 (a password, a role not allowed to log in) and 3D000 (no such database): the server
    /// is there and says no. A server starting up or shutting down (57P03) is an outage instead.
    static func refusesTheLogin(_ sqlState: String?) -> Bool {
        guard let sqlState else { return false }
        return sqlState.hasPrefix("28") || sqlState == "3D000"
    }

    private static func configuration(_ location: PostgresLocation, password: String?) throws(PostgresFailure)
        -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        do {
            switch location.endpoint {
            case let .tcp(host, port):
                configuration = .init(host: host, port: port, username: location.user, password: password, database: location.database,
                                      tls: try tls(location))
            case let .socket(directory, port):
                configuration = .init(unixSocketPath: directory + "/.s.PGSQL.\(port)", username: location.user, password: password,
                                      database: location.database)
            }
        } catch {
            throw .unreachable(location: location.endpointDescription, reason: PostgresErrorText.tlsSetup(error, at: location))
        }
        configuration.options.connectTimeout = .seconds(10)
        // A change waiting on another session's row lock gives up as SQLite's writers do, instead of forever.
        configuration.options.additionalStartupParameters = [("lock_timeout", "\(lockTimeoutSeconds)s")]
        return configuration
    }

    /// How long a statement waits for a lock another session holds.
    public static let lockTimeoutSeconds = 15

    /// Lets the next call try to reconnect at once (someone else just reached the server).
    public func retryNow() { attemptLock.withLock { lastReconnectAttempt = nil } }

    /// Replaces a connection the server closed; called with `lock` held, outside any transaction.
    private func reopenIfClosed() throws(PostgresFailure) {
        if let connection, !connection.isClosed { return }
        // Its statements so far went with the connection: the rest must not run, and commit, without them.
        if openedByBegin {
            throw .unreachable(location: location.endpointDescription, reason: "the connection was lost mid-transaction, which rolled back")
        }
        let paused = attemptLock.withLock { () -> Bool in
            if let last = lastReconnectAttempt, Date().timeIntervalSince(last) < 1 { return true }
            lastReconnectAttempt = Date()
            return false
        }
        if paused { throw .unreachable(location: location.endpointDescription, reason: "the connection was lost; retrying") }
        let opened = try Self.open(location, password: password, on: PostgresConnection.defaultEventLoopGroup.any(), id: 1)
        connection = opened
        backendPID = nil
        if checksSchemaOnConnect {
            do {
                try PostgresSchema.check(location: location) { sql throws(PostgresFailure) in try run(sql, []) }
            } catch {
                // Closed, so the next statement checks again (after `triage store migrate`, say).
                Self.close(opened)
                throw error
            }
        }
        attemptLock.withLock { lastReconnectAttempt = nil }
    }

    /// libpq's modes: `prefer` and `require` encrypt without checking the certificate; `verify-full`
    /// checks it against `sslrootcert` (else the system's roots) and the host name.
    private static func tls(_ location: PostgresLocation) throws -> PostgresConnection.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch location.sslMode {
        case .disable: return .disable
        case .prefer, .require:
            tls.certificateVerification = .none
            let context = try NIOSSLContext(configuration: tls)
            return location.sslMode == .prefer ? .prefer(context) : .require(context)
        case .verifyFull:
            tls.certificateVerification = .fullVerification
            if let root = location.sslRootCert { tls.trustRoots = .file(root) }
            return .require(try NIOSSLContext(configuration: tls))
        }
    }

    /// Runs one statement (`?` placeholders, bound in order) and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ values: [DatabaseValue] = []) throws(PostgresFailure) -> [PostgresRecord] {
        lock.lock()
        defer { lock.unlock() }
        try reopenIfClosed()
        return try run(sql, values)
    }

    /// Runs `body` in one transaction: committed if it returns, rolled back if it throws.
    public func transaction<T>(_ body: (Transaction) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        try reopenIfClosed()
        try run("BEGIN", [])
        do {
            let result = try body(Transaction(session: self))
            try run("COMMIT", [])
            return result
        } catch {
            _ = try? run("ROLLBACK", [])
            throw error
        }
    }

    /// Opens a transaction that spans calls (an ingest's batch), ended by `commit` or `rollback`.
    public func begin() throws(PostgresFailure) {
        lock.lock()
        defer { lock.unlock() }
        try reopenIfClosed()
        try run("BEGIN", [])
        openedByBegin = true
    }

    public func commit() throws(PostgresFailure) {
        lock.lock()
        defer { lock.unlock() }
        try reopenIfClosed()
        openedByBegin = false
        try run("COMMIT", [])
    }

    /// Nothing to send when the connection is gone: the server rolled the transaction back itself.
    public func rollback() throws(PostgresFailure) {
        lock.lock()
        defer { lock.unlock() }
        openedByBegin = false
        guard let connection, !connection.isClosed else { return }
        try run("ROLLBACK", [])
    }

    /// The session inside `transaction`, whose lock it already holds.
    public struct Transaction {
        fileprivate let session: PostgresSession

        @discardableResult
        public func query(_ sql: String, _ values: [DatabaseValue] = []) throws(PostgresFailure) -> [PostgresRecord] {
            try session.run(sql, values)
        }
    }

    /// Whether the connection has closed (the server went away): a new session is needed.
    public var isClosed: Bool { connection?.isClosed ?? true }

    /// The open connection; a session that has never reached the server has none to run on.
    private func open() throws(PostgresFailure) -> PostgresConnection {
        guard let connection else { throw .unreachable(location: location.endpointDescription, reason: "the server has not answered yet") }
        return connection
    }

    /// Runs one statement with `$1, $2, …` placeholders bound as given (arrays included), for the
    /// ingest's multi-row statements.
    @discardableResult
    func query(numbered sql: String, _ bindings: PostgresBindings) throws(PostgresFailure) -> [PostgresRecord] {
        lock.lock()
        defer { lock.unlock() }
        return try execute(PostgresQuery(unsafeSQL: sql, binds: bindings))
    }

    @discardableResult
    private func run(_ sql: String, _ values: [DatabaseValue]) throws(PostgresFailure) -> [PostgresRecord] {
        var bindings = PostgresBindings(capacity: values.count)
        do {
            for value in values {
                switch value.storage {
                case .null: bindings.appendNull()
                case let .int64(number): bindings.append(number)
                case let .double(number): bindings.append(number)
                case let .string(text): bindings.append(text)
                case let .blob(data): try bindings.append(data)
                }
            }
        } catch {
            throw .server("cannot bind a value: \(error)")
        }
        return try execute(PostgresQuery(unsafeSQL: Self.numbered(sql), binds: bindings))
    }

    private func execute(_ query: PostgresQuery) throws(PostgresFailure) -> [PostgresRecord] {
        do {
            try settleStoppedRead()
            let result = try ReadInterruption.current.map { try interruptibly(query, stoppingWhen: $0) }
                ?? answer(to: open().query(query, logger: Self.logger))
            return try result.rows.map(PostgresRecord.init)
        } catch let error as PSQLError where error.code == .server && !isClosed {
            throw Self.failure(error, at: location)
        } catch let error as PostgresFailure {
            throw error
        } catch {
            throw .unreachable(location: location.endpointDescription, reason: PostgresErrorText.reason(error, at: location))
        }
    }

    /// Runs `query`, and if `shouldStop` says so before the server has answered, asks the server to
    /// cancel it (from a second connection, as libpq's PQcancel does) and throws `.interrupted` at once:
    /// the reader goes on (draws its frame) while the cancel travels, and the next statement on this
    /// connection waits for the cancel and the stopped statement's end (`settleStoppedRead`), so the
    /// cancel can never reach a later statement.
    private func interruptibly(_ query: PostgresQuery, stoppingWhen shouldStop: @escaping @Sendable () -> Bool) throws -> PostgresQueryResult {
        // A read asked to stop before it starts does not start (the run loop asks when a key waits).
        if shouldStop() { throw PostgresFailure.interrupted }
        let pid = try serverProcess()
        let statement = try open().query(query, logger: Self.logger)
        do {
            return try answer(to: statement, stoppingWhen: shouldStop)
        } catch PostgresFailure.interrupted {
            let ended = statement.map { _ in () }.recover { _ in () }
            stoppedRead = ended.and(cancel(pid)).map { _ in () }
            throw PostgresFailure.interrupted
        }
    }

    /// Waits for a statement's answer, looking every few milliseconds whether to stop (then throws
    /// `.interrupted`, the statement still running) and whether the connection has closed under it:
    /// a statement sent as the server went away was seen to stay unanswered, and an ingest waited on
    /// it for good instead of retrying.
    private func answer(to future: EventLoopFuture<PostgresQueryResult>,
                        stoppingWhen shouldStop: (@Sendable () -> Bool)? = nil) throws -> PostgresQueryResult {
        let answered = DispatchSemaphore(value: 0)
        future.whenComplete { _ in answered.signal() }
        while answered.wait(timeout: .now() + .milliseconds(shouldStop == nil ? 20 : 1)) == .timedOut {
            if let shouldStop, shouldStop() { throw PostgresFailure.interrupted }
            if isClosed, answered.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
                throw PostgresFailure.unreachable(location: location.endpointDescription, reason: "the connection was lost")
            }
        }
        return try future.wait()
    }

    /// Called with `lock` held before each statement: a stopped read's statement has ended (the
    /// server checks for a cancel often) and its cancel has been delivered, or the connection is lost.
    private func settleStoppedRead() throws(PostgresFailure) {
        guard let stopped = stoppedRead else { return }
        stoppedRead = nil
        let settled = DispatchSemaphore(value: 0)
        stopped.whenComplete { _ in settled.signal() }
        if settled.wait(timeout: .now() + .seconds(Self.lockTimeoutSeconds)) == .timedOut || isClosed {
            connection.map(Self.close)
            throw .unreachable(location: location.endpointDescription, reason: "the connection was lost")
        }
    }

    private func serverProcess() throws -> Int32 {
        if let backendPID { return backendPID }
        let row = try open().query("SELECT pg_backend_pid() AS pid", logger: Self.logger).wait().rows.first
        let pid = try row?.decode(Int32.self) ?? 0
        backendPID = pid
        return pid
    }

    /// Asks the server to cancel `pid`'s statement, without waiting; best effort: if the cancel
    /// cannot be sent, the statement runs to its end. The second connection is opened on first use
    /// and again after it fails.
    private func cancel(_ pid: Int32) -> EventLoopFuture<Void> {
        let loop = PostgresConnection.defaultEventLoopGroup.any()
        let (location, password) = (location, password)
        @Sendable func connect() -> EventLoopFuture<PostgresConnection> {
            do {
                return PostgresConnection.connect(on: loop, configuration: try Self.configuration(location, password: password), id: 2,
                                                  logger: Self.logger)
            } catch {
                return loop.makeFailedFuture(error)
            }
        }
        let previous = canceller.map { $0.map(Optional.some).recover { _ in nil } } ?? loop.makeSucceededFuture(nil)
        let ready = previous.flatMap { connection in
            if let connection, !connection.isClosed { return loop.makeSucceededFuture(connection) }
            return connect()
        }
        canceller = ready
        return ready.flatMap { connection in
            connection.query(PostgresQuery(unsafeSQL: "SELECT pg_cancel_backend(\(pid))"), logger: Self.logger).map { _ in () }
        }.recover { _ in () }
    }

    /// The server's refusal by its SQLSTATE: a lock waited on past `lock_timeout` (55P03) is another
    /// session's long transaction; a race (class 40) may be retried; a value (22, 23) is the statement's
    /// data's fault; a lost connection or shutdown (08, 57) is the server going away.
    static func failure(_ error: PSQLError, at location: PostgresLocation) -> PostgresFailure {
        let state = error.serverInfo?[.sqlState] ?? ""
        if state == "55P03" { return .busy(seconds: lockTimeoutSeconds) }
        let reason = PostgresErrorText.reason(error, at: location)
        switch state.prefix(2) {
        case "40": return .raced(reason)
        case "22", "23": return .badValue(reason)
        case "08", "57": return .unreachable(location: location.endpointDescription, reason: reason)
        default: return .server(reason)
        }
    }

    /// `?` placeholders as PostgreSQL's `$1, $2, …`, outside quoted literals and identifiers.
    static func numbered(_ sql: String) -> String {
        var result = ""
        var number = 0
        var quote: Character?
        for character in sql {
            if let open = quote {
                if character == open { quote = nil }
                result.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                result.append(character)
            } else if character == "?" {
                number += 1
                result += "$\(number)"
            } else {
                result.append(character)
            }
        }
        return result
    }
}
