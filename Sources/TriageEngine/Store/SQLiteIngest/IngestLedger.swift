import Foundation
import GRDB

/// The SQLite store's ingest ledger (`IngestLedgerRecords`): which files were claimed, how far
/// each got, and what was refused. Every write here happens in the same transaction as the occurrence rows it accounts for.
///
/// Finding and saving run once per file, so they are prepared once per pass and bound directly
/// (`RawStatement`): through GRDB's arguments and rows they were a large share of ingest with one
/// payload per file.
final class IngestLedger {
    private let db: Database
    private let findFile: RawStatement
    private let insertFile: RawStatement
    private let updateFile: RawStatement
    /// The rows there were when the pass began, if at most `preloadLimit`. The ledger holds only
    /// files not yet out of a spool (`forget`), so this is the common case, and finding a file is
    /// then a dictionary lookup instead of a query.
    /// A row written during the pass is never looked for in it: a pass takes each file once.
    private let preloaded: [FileKey: LedgerEntry]?

    /// Name, device, inode, size and modification time: the row's unique key. The change time is
    /// compared apart, so a stale row is found, and forgotten, when its file comes back.
    private struct FileKey: Hashable {
        let name: SpoolName
        let device: Int64
        let inode: Int64
        let size: Int64
        let mtimeNanoseconds: Int64

        init(_ name: SpoolName, _ identity: FileIdentity) {
            self.name = name
            device = identity.device
            inode = identity.inode
            size = identity.size
            mtimeNanoseconds = identity.mtimeNanoseconds
        }
    }

    init(_ db: Database, preloadLimit: Int = 50_000) throws {
        self.db = db
        preloaded = try Self.preload(db, limit: preloadLimit)
        findFile = try RawStatement(db, """
            SELECT id, byte_offset, line, outcome, accepted, duplicates, rejected, noise_held, status_changes, ctime_ns
            FROM ingest_files WHERE name = ?1 AND device = ?2 AND inode = ?3 AND size = ?4 AND mtime_ns = ?5
            """)
        insertFile = try RawStatement(db, """
            INSERT INTO ingest_files (name, device, inode, size, mtime_ns, claimed_at, byte_offset, line, outcome, accepted,
                                      duplicates, rejected, noise_held, status_changes, finished_at, ctime_ns)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
            """)
        updateFile = try RawStatement(db, """
            UPDATE ingest_files SET byte_offset = ?1, line = ?2, outcome = ?3, accepted = ?4, duplicates = ?5, rejected = ?6,
                noise_held = ?7, status_changes = ?8, finished_at = ?9 WHERE id = ?10
            """)
    }

    /// The row of this file, if it has one. A row for the same name, inode, size and modification
    /// time but another change time is stale (a killed run left it after the file had moved out;
    /// the file was moved back): it is forgotten, and the file is new work.
    func find(_ name: SpoolName, _ identity: FileIdentity) throws -> LedgerEntry? {
        let found: LedgerEntry?
        if let preloaded {
            found = preloaded[FileKey(name, identity)]
        } else {
            findFile.bind(1, blob: name.bytes)
            findFile.bind(2, identity.device)
            findFile.bind(3, identity.inode)
            findFile.bind(4, identity.size)
            findFile.bind(5, identity.mtimeNanoseconds)
            found = try findFile.queryFirst { row in
                LedgerEntry(
                    id: row.int64(0), name: name,
                    identity: FileIdentity(device: identity.device, inode: identity.inode, size: identity.size,
                                           mtimeNanoseconds: identity.mtimeNanoseconds, ctimeNanoseconds: row.optionalInt64(9) ?? .min),
                    byteOffset: row.int64(1), line: Int(row.int64(2)),
                    outcome: row.text(3).flatMap(FileOutcome.init(rawValue:)),
                    counts: FileCounts(accepted: Int(row.int64(4)), duplicates: Int(row.int64(5)), rejected: Int(row.int64(6)),
                                       noiseHeld: Int(row.int64(7)), statusChanges: Int(row.int64(8))))
            }
        }
        guard let found, let id = found.id else { return nil }
        if found.identity.ctimeNanoseconds == identity.ctimeNanoseconds { return found }
        try forget([id])
        return nil
    }

    /// Every row, or nil past `limit` (a store from a build that kept them all).
    private static func preload(_ db: Database, limit: Int) throws -> [FileKey: LedgerEntry]? {
        let rows = try Row.fetchAll(db, sql: """
            SELECT id, name, device, inode, size, mtime_ns, byte_offset, line, outcome, accepted, duplicates, rejected,
                   noise_held, status_changes, ctime_ns
            FROM ingest_files LIMIT ?
            """, arguments: [limit + 1])
        guard rows.count <= limit else { return nil }
        var entries: [FileKey: LedgerEntry] = [:]
        for row in rows {
            let name = SpoolName([UInt8](row["name"] as Data))
            // A row from before change times were kept has none: taken as stale.
            let identity = FileIdentity(device: row["device"], inode: row["inode"], size: row["size"], mtimeNanoseconds: row["mtime_ns"],
                                        ctimeNanoseconds: row["ctime_ns"] ?? .min)
            entries[FileKey(name, identity)] = LedgerEntry(
                id: row["id"], name: name, identity: identity, byteOffset: row["byte_offset"], line: row["line"],
                outcome: (row["outcome"] as String?).flatMap(FileOutcome.init(rawValue:)),
                counts: FileCounts(accepted: row["accepted"], duplicates: row["duplicates"], rejected: row["rejected"],
                                   noiseHeld: row["noise_held"], statusChanges: row["status_changes"]))
        }
        return entries
    }

    static func unclaimed(_ name: SpoolName, _ identity: FileIdentity) -> LedgerEntry {
        LedgerEntry(id: nil, name: name, identity: identity, byteOffset: 0, line: 0, outcome: nil, counts: FileCounts())
    }

    /// Writes the row now if it has not been written yet; returns its id.
    func claim(_ entry: inout LedgerEntry, at now: Double) throws -> Int64 {
        if let id = entry.id { return id }
        try insert(&entry, at: now, finishedAt: nil)
        return entry.id!
    }

    func save(_ entry: inout LedgerEntry, at now: Double, finished: Bool) throws {
        let finishedAt: Double? = finished ? now : nil
        guard let id = entry.id else {
            // Claimed and saved in one statement (the common case: a file done within one transaction).
            return try insert(&entry, at: now, finishedAt: finishedAt)
        }
        updateFile.bind(1, entry.byteOffset)
        updateFile.bind(2, entry.line)
        updateFile.bind(3, entry.outcome?.rawValue)
        bindCounts(entry.counts, to: updateFile, from: 4)
        updateFile.bind(9, finishedAt)
        updateFile.bind(10, id)
        try updateFile.execute()
    }

    private func insert(_ entry: inout LedgerEntry, at now: Double, finishedAt: Double?) throws {
        insertFile.bind(1, blob: entry.name.bytes)
        insertFile.bind(2, entry.identity.device)
        insertFile.bind(3, entry.identity.inode)
        insertFile.bind(4, entry.identity.size)
        insertFile.bind(5, entry.identity.mtimeNanoseconds)
        insertFile.bind(6, now)
        insertFile.bind(7, entry.byteOffset)
        insertFile.bind(8, entry.line)
        insertFile.bind(9, entry.outcome?.rawValue)
        bindCounts(entry.counts, to: insertFile, from: 10)
        insertFile.bind(15, finishedAt)
        insertFile.bind(16, entry.identity.ctimeNanoseconds)
        try insertFile.execute()
        entry.id = insertFile.lastInsertedRowID
    }

    private func bindCounts(_ counts: FileCounts, to statement: RawStatement, from index: Int32) {
        statement.bind(index, counts.accepted)
        statement.bind(index + 1, counts.duplicates)
        statement.bind(index + 2, counts.rejected)
        statement.bind(index + 3, counts.noiseHeld)
        statement.bind(index + 4, counts.statusChanges)
    }

    /// Deletes the rows, and their rejections, of files that have left the spool. A pass claims
    /// rows in order, so the ids come in runs, and each run is deleted as one range.
    func forget(_ ids: [Int64]) throws {
        for run in Self.runs(of: ids) {
            let bounds: StatementArguments = [run.lowerBound, run.upperBound]
            try db.cachedStatement(sql: "DELETE FROM rejections WHERE file_id BETWEEN ? AND ?").execute(arguments: bounds)
            try db.cachedStatement(sql: "DELETE FROM ingest_files WHERE id BETWEEN ? AND ?").execute(arguments: bounds)
        }
    }

    /// `ids` as ascending ranges of consecutive values, each holding only values from `ids`.
    static func runs(of ids: [Int64]) -> [ClosedRange<Int64>] {
        var runs: [ClosedRange<Int64>] = []
        for id in ids.sorted() {
            if let last = runs.last, id <= last.upperBound + 1 {
                runs[runs.count - 1] = last.lowerBound...max(last.upperBound, id)
            } else {
                runs.append(id...id)
            }
        }
        return runs
    }

    func recordRejection(fileID: Int64, line: Int?, offset: Int64, length: Int, field: String?, reason: String) throws {
        try db.cachedStatement(sql: """
            INSERT INTO rejections (file_id, line, byte_offset, byte_length, field, reason) VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [fileID, line, offset, length, field, reason])
    }

    func rejections(fileID: Int64) throws -> [Rejection] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT line, field, reason, byte_offset, byte_length FROM rejections WHERE file_id = ? ORDER BY id
            """), arguments: [fileID]).map {
            Rejection(line: $0[0], field: $0[1], reason: $0[2], byteOffset: $0[3], byteLength: $0[4])
        }
    }
}
