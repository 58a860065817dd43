import Foundation
import CSQLiteSetup
import GRDB

/// The file-backed store: one SQLite database in WAL mode, reached through GRDB.
///
/// Readers (the TUI, `list`, `show`) never block the ingest writer and vice versa. Commits are
/// `synchronous = FULL`: a spool file is moved to `processed/` only after its rows are durable, so
/// not even a power cut loses an occurrence whose file left the spool.
public final class SQLiteStore: Sendable {
    public let path: String
    public let registry: GroupTypeRegistry
    public let settings: EngineSettings
    public let clock: any TriageClock
    /// `package`: the team store's copy (`triage store copy`) reads every table through it.
    package let pool: DatabasePool
    /// Dictionaries of compressed payloads, loaded once.
    package let payloads = PayloadDecompressor()

    /// `upgrading` is told, before it starts, when a store with data is migrated to a newer schema:
    /// some migrations rebuild a table (v9: 92 s for 5M occurrences) and should not look like a hang.
    public init(path: String, registry: GroupTypeRegistry = .builtIn, settings: EngineSettings = EngineSettings(),
                clock: any TriageClock = SystemClock(), upgrading: ((String) -> Void)? = nil) throws {
        _ = Self.sqliteConfigured
        self.path = path
        self.registry = registry
        self.settings = settings
        self.clock = clock
        try Self.createFileIfMissing(path)
        // Processes opening a new store at once would race in the migrations (GRDB runs them in
        // deferred transactions): serialise opening on a lock of the store's directory.
        let directoryLock = try Self.lockDirectory(of: path)
        defer {
            flock(directoryLock, LOCK_UN)
            close(directoryLock)
        }
        do {
            pool = try DatabasePool(path: path, configuration: Self.configuration(readonly: false))
            if try pool.read(StoreSchema.migrator.hasBeenSuperseded) { throw StoreError.newerSchema(path: path) }
            if let upgrading, let pending = try pool.read(StoreSchema.pendingUpgrade) {
                upgrading("upgrading the store at \(path) to schema \(pending); a large store takes a few minutes, once")
            }
            try StoreSchema.migrator.migrate(pool)
            // The writer's statement journals (a multi-row delete keeps one) in memory, where they
            // cost no file writes. Only after the migrations: a rebuilt index sorts in temporary
            // storage, which in memory grows with the table.
            try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA temp_store = MEMORY") }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: error.message ?? "\(error.resultCode)")
        }
    }

    /// A store opened on a pool made elsewhere (`init(readingOnly:)`).
    init(pool: DatabasePool, path: String, registry: GroupTypeRegistry, settings: EngineSettings, clock: any TriageClock) {
        self.pool = pool
        self.path = path
        self.registry = registry
        self.settings = settings
        self.clock = clock
    }

    static func configuration(readonly: Bool) -> Configuration {
        var configuration = Configuration()
        configuration.readonly = readonly
        configuration.busyMode = .timeout(15)
        configuration.prepareDatabase { db in
            // 16 KiB pages for a new store (an existing one keeps its own; SQLite ignores this once
            // the file has pages): the ingest writer's B-trees are shallower. The cost: a larger
            // empty store, and a WAL of 1,000 larger pages between checkpoints.
            try db.execute(sql: "PRAGMA page_size = 16384")
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // The writer gets 64 MiB of page cache: the occurrence-id index is written in random
            // order, and with SQLite's 2 MiB default every batch re-reads and re-dirties its pages.
            // Readers get 16 MiB: a free-text scan of a million groups would fill 64 MiB of the
            // TUI's memory with pages the kernel's cache holds anyway.
            try db.execute(sql: db.configuration.readonly ? "PRAGMA cache_size = -16384" : "PRAGMA cache_size = -65536")
        }
        return configuration
    }

    /// The store schema this triage writes ("v11", say); older stores are upgraded to it when opened.
    public static var schemaVersion: String { StoreSchema.version }

    /// Once per process, before the first connection (after it, SQLite refuses and keeps its
    /// defaults, which are only slower).
    static let sqliteConfigured = triage_sqlite_configure() == 0

    /// The store holds every payload; only its owner may read it (the WAL and SHM files inherit the mode).
    private static func createFileIfMissing(_ path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do { try PrivateDirectory.create(directory) } catch {
                throw StoreError.cannotOpen(path: path, reason: error.description)
            }
        }
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        close(descriptor)
    }

    /// An exclusive `flock` on the directory holding the store (not on the database file: closing any
    /// descriptor of that file would drop SQLite's own POSIX locks).
    private static func lockDirectory(of path: String) throws -> Int32 {
        let directory = (path as NSString).deletingLastPathComponent
        let descriptor = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                close(descriptor)
                throw StoreError.cannotOpen(path: path, reason: "cannot lock its directory: \(String(cString: strerror(errno)))")
            }
        }
        return descriptor
    }

    /// A read, watched by the caller's `ReadInterruption` if there is one.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        guard let shouldStop = ReadInterruption.shouldStop else { return try pool.read(body) }
        do {
            return try pool.read { db in try ReadInterruption.watching(db, shouldStop) { try body(db) } }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_INTERRUPT {
            throw ReadInterrupted()
        }
    }

    func write<T>(_ body: (Database) throws -> T) throws -> T { try pool.write(body) }
}
