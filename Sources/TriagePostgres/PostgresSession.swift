import Foundation
import GRDB
import Logging
import PostgresNIO

/// One connection to the team store, used synchronously.
///
/// The bridge from PostgresNIO's async world: each statement goes through its `EventLoopFuture` API
/// and the calling thread waits for the result (`wait()`). The callers are the CLI's main thread and
/// the TUI's store threads, never an event loop (NIO traps that) nor a Swift-concurrency task (`wait`
/// is unavailable from async code, so the compiler refuses it), so no cooperative thread ever blocks.
/// A lock keeps one statement (or transaction) on the connection at a time.
public final class PostgresSession: Sendable {
    public let location: PostgresLocation
    private let connection: PostgresConnection
    private let lock = NSLock()
    /// PostgresNIO logs below info only; triage's own messages say what failed.
    private static let logger = Logger(label: "triage.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    private init(location: PostgresLocation, connection: PostgresConnection) {
        self.location = location
        self.connection = connection
    }

    /// Not waited for (the last reference may go on any thread, an event loop's included); the
    /// connection is kept until it has closed, as PostgresNIO requires.
    deinit {
        let connection = self.connection
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    /// Connects and authenticates; `password` from `PostgresPassword`.
    public static func connect(_ location: PostgresLocation, password: String?) throws(PostgresFailure) -> PostgresSession {
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
            throw .unreachable(location: location.description, reason: PostgresErrorText.tlsSetup(error, at: location))
        }
        configuration.options.connectTimeout = .seconds(10)
        // A change waiting on another session's row lock gives up as SQLite's writers do, instead of forever.
        configuration.options.additionalStartupParameters = [("lock_timeout", "\(lockTimeoutSeconds)s")]
        do {
            let connection = try PostgresConnection.connect(on: PostgresConnection.defaultEventLoopGroup.any(), configuration: configuration,
                                                            id: 1, logger: logger).wait()
            return PostgresSession(location: location, connection: connection)
        } catch {
            throw .unreachable(location: location.description, reason: PostgresErrorText.reason(error, at: location))
        }
    }

    /// How long a statement waits for a lock another session holds.
    public static let lockTimeoutSeconds = 15

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
        return try run(sql, values)
    }

    /// Runs `body` in one transaction: committed if it returns, rolled back if it throws.
    public func transaction<T>(_ body: (Transaction) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
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

    /// The session inside `transaction`, whose lock it already holds.
    public struct Transaction {
        fileprivate let session: PostgresSession

        @discardableResult
        public func query(_ sql: String, _ values: [DatabaseValue] = []) throws(PostgresFailure) -> [PostgresRecord] {
            try session.run(sql, values)
        }
    }

    @discardableResult
    private func run(_ sql: String, _ values: [DatabaseValue]) throws(PostgresFailure) -> [PostgresRecord] {
        do {
            var bindings = PostgresBindings(capacity: values.count)
            for value in values {
                switch value.storage {
                case .null: bindings.appendNull()
                case let .int64(number): bindings.append(number)
                case let .double(number): bindings.append(number)
                case let .string(text): bindings.append(text)
                case let .blob(data): try bindings.append(data)
                }
            }
            let result = try connection.query(PostgresQuery(unsafeSQL: Self.numbered(sql), binds: bindings), logger: Self.logger).wait()
            return try result.rows.map(PostgresRecord.init)
        } catch let error as PSQLError where error.code == .server {
            if error.serverInfo?[.sqlState] == "55P03" { throw .busy(seconds: Self.lockTimeoutSeconds) }
            throw .server(PostgresErrorText.reason(error, at: location))
        } catch let error as PostgresFailure {
            throw error
        } catch {
            throw .unreachable(location: location.description, reason: PostgresErrorText.reason(error, at: location))
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
