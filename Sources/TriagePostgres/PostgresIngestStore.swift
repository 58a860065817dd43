import Foundation
import GRDB
import TriageEngine

/// The team store's `IngestStore`: one spool's ingester writing into the shared database, on a
/// connection of its own. Several ingesters (other spools, other hosts) may write at once; every
/// rule they share is decided in the database (`PostgresIngestSession`).
///
/// A lost connection is replaced on the next call: the pass that failed rolled back, its files are
/// still in the spool, and the caller runs it again (`triage ingest` does, with backoff).
package final class PostgresIngestStore: IngestStore, @unchecked Sendable {
    package let registry: GroupTypeRegistry
    package let settings: EngineSettings
    package let clock: any TriageClock
    /// The ledger's name for this spool (`PostgresSpoolKey`).
    let spool: String
    private let connect: () throws -> PostgresSession
    private let lock = NSLock()
    private var current: PostgresSession?

    /// `connect` opens a new connection to the same store (with the schema checked by the caller).
    package init(spool: SpoolDirectory, registry: GroupTypeRegistry, settings: EngineSettings, clock: any TriageClock = SystemClock(),
                 connect: @escaping () throws -> PostgresSession) {
        self.registry = registry
        self.settings = settings
        self.clock = clock
        self.spool = PostgresSpoolKey.key(spool.identity)
        self.connect = connect
    }

    /// The ingest's connection, opened again if the last one closed.
    package func connection() throws -> PostgresSession {
        try lock.withLock {
            if let current, !current.isClosed { return current }
            current = nil
            let opened = try connect()
            try PostgresSchema.check(opened)
            current = opened
            return opened
        }
    }

    package func prepareWriter(_ memory: IngestMemory) throws {}

    package func withIngestSession<T>(_ body: (any IngestSession) throws -> T) throws -> T {
        try body(PostgresIngestSession(connection(), spool: spool, keep: settings.keepOccurrences))
    }

    /// One ingester at a time runs the time rules (an advisory lock), each on rows it locks, so two
    /// never record the same lapse or auto-resolve twice.
    package func applyRules() throws -> Int {
        let session = try connection()
        let now = clock.now()
        return try session.transaction { transaction in
            try transaction.query("SELECT pg_advisory_xact_lock(\(PostgresLocks.rules))")
            return try LifecycleRules.run(PostgresLifecycle(query: transaction.query), registry: registry, settings: settings, now: now)
        }
    }

    package func blamesThePayload(_ error: any Error) -> Bool {
        guard let failure = error as? PostgresFailure else { return true }
        return failure.isBadValue
    }

    package func unfinishedMoves(of spool: SpoolIdentity) throws -> [(id: Int64, files: [FinishedFile])] {
        try PostgresIngestLedger.unfinishedMoves(of: PostgresSpoolKey.key(spool), query: connection().query)
    }

    package func settleMoves(unmoved: [FinishedFile], forgetting ids: [Int64]) throws {
        let now = clock.now()
        try connection().transaction { transaction in
            let ledger = PostgresIngestLedger(query: transaction.query, spool: spool)
            for file in unmoved {
                var entry = LedgerEntry(id: nil, name: file.name, identity: file.identity, byteOffset: file.identity.size, line: 0,
                                        outcome: file.outcome, counts: FileCounts())
                try ledger.save(&entry, at: now, finished: true)
            }
            try ledger.forget(entries: [], moveRecords: ids)
        }
    }

    package func newestHistoryID() throws -> Int64 {
        try connection().query("SELECT coalesce(max(id), 0) AS id FROM status_history").first?.get("id") ?? 0
    }

    package func transitionCounts(since historyID: Int64) throws -> [(cause: String, count: Int)] {
        try connection().query("""
            SELECT cause, count(*) AS changes FROM status_history
            WHERE id > ? AND cause NOT IN ('user', 'undo', 'occurrence:new_group') GROUP BY cause
            """, [historyID.databaseValue]).map { (cause: $0.get("cause") ?? "", count: $0.get("changes") ?? 0) }
    }

    /// Counter totals are the team store's, as SQLite's are its own: every ingester adds what it
    /// counted (an upsert adding to the total), and `triage metrics` on the team store reads them.
    package func persist(_ metrics: TriageMetrics) throws {
        try metrics.persist(into: try PostgresStore(session: connection(), registry: registry, settings: settings, clock: clock))
    }
}

/// A spool's name in the team store's ledgers: its host and its directory's device and inode, as
/// SQLite names it, so a spool keeps its ledger across a rename and two hosts' spools never share one.
enum PostgresSpoolKey {
    static func key(_ identity: SpoolIdentity) -> String {
        "\(host) \(identity.device):\(identity.inode)"
    }

    /// The kernel's host name (`gethostname`): Foundation's `hostName` may ask the resolver.
    private static let host: String = {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "localhost" }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()
}

/// Advisory lock keys, one per rule that serialises ingesters (migrations use 7146).
enum PostgresLocks {
    static let rules: Int64 = 7147
}
