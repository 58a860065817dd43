import Foundation
import GRDB

/// How a spool file ended.
enum FileOutcome: String {
    case processed
    case failed
}

/// Per-file counters, kept in the ledger so a resumed file adds to what it already did.
struct FileCounts: Equatable {
    var accepted = 0
    var duplicates = 0
    var rejected = 0
    var noiseHeld = 0
    var statusChanges = 0
}

/// A spool file's row in `ingest_files`. The row is written lazily (`id` nil until then): a file
/// that is finished within one transaction costs one INSERT, not an INSERT and an UPDATE.
struct LedgerEntry {
    var id: Int64?
    let name: SpoolName
    let identity: FileIdentity
    var byteOffset: Int64
    var line: Int
    var outcome: FileOutcome?
    var counts: FileCounts
}

/// One refused payload, as recorded for the sidecar.
public struct Rejection: Sendable, Equatable {
    public let line: Int?
    public let field: String?
    public let reason: String
    let byteOffset: Int64
    let byteLength: Int
}

/// The ingest bookkeeping: which files were claimed, how far each got, and what was refused.
/// Every write here happens in the same transaction as the occurrence rows it accounts for.
enum IngestLedger {
    static func find(_ db: Database, _ name: SpoolName, _ identity: FileIdentity) throws -> LedgerEntry? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT id, byte_offset, line, outcome, accepted, duplicates, rejected, noise_held, status_changes
            FROM ingest_files WHERE name = ? AND device = ? AND inode = ? AND size = ? AND mtime_ns = ?
            """), arguments: [Data(name.bytes), identity.device, identity.inode, identity.size, identity.mtimeNanoseconds])
        else { return nil }
        return LedgerEntry(
            id: row[0], name: name, identity: identity, byteOffset: row[1], line: row[2],
            outcome: (row[3] as String?).flatMap(FileOutcome.init(rawValue:)),
            counts: FileCounts(accepted: row[4], duplicates: row[5], rejected: row[6], noiseHeld: row[7], statusChanges: row[8]))
    }

    static func unclaimed(_ name: SpoolName, _ identity: FileIdentity) -> LedgerEntry {
        LedgerEntry(id: nil, name: name, identity: identity, byteOffset: 0, line: 0, outcome: nil, counts: FileCounts())
    }

    /// Writes the row now if it has not been written yet; returns its id.
    static func claim(_ db: Database, _ entry: inout LedgerEntry, at now: Double) throws -> Int64 {
        if let id = entry.id { return id }
        try db.cachedStatement(sql: """
            INSERT INTO ingest_files (name, device, inode, size, mtime_ns, claimed_at) VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [Data(entry.name.bytes), entry.identity.device, entry.identity.inode, entry.identity.size,
                                     entry.identity.mtimeNanoseconds, now])
        entry.id = db.lastInsertedRowID
        return db.lastInsertedRowID
    }

    static func save(_ db: Database, _ entry: inout LedgerEntry, at now: Double, finished: Bool) throws {
        let finishedAt: Double? = finished ? now : nil
        guard let id = entry.id else {
            // Claimed and saved in one statement (the common case: a file done within one transaction).
            try db.cachedStatement(sql: """
                INSERT INTO ingest_files (name, device, inode, size, mtime_ns, claimed_at, byte_offset, line, outcome, accepted,
                                          duplicates, rejected, noise_held, status_changes, finished_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [Data(entry.name.bytes), entry.identity.device, entry.identity.inode, entry.identity.size,
                                         entry.identity.mtimeNanoseconds, now, entry.byteOffset, entry.line, entry.outcome?.rawValue,
                                         entry.counts.accepted, entry.counts.duplicates, entry.counts.rejected,
                                         entry.counts.noiseHeld, entry.counts.statusChanges, finishedAt])
            entry.id = db.lastInsertedRowID
            return
        }
        try db.cachedStatement(sql: """
            UPDATE ingest_files SET byte_offset = ?, line = ?, outcome = ?, accepted = ?, duplicates = ?, rejected = ?,
                noise_held = ?, status_changes = ?, finished_at = ? WHERE id = ?
            """).execute(arguments: [entry.byteOffset, entry.line, entry.outcome?.rawValue, entry.counts.accepted,
                             entry.counts.duplicates, entry.counts.rejected, entry.counts.noiseHeld,
                             entry.counts.statusChanges, finishedAt, id])
    }

    static func recordRejection(_ db: Database, fileID: Int64, line: Int?, offset: Int64, length: Int, error: PayloadError) throws {
        try db.cachedStatement(sql: """
            INSERT INTO rejections (file_id, line, byte_offset, byte_length, field, reason) VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [fileID, line, offset, length, error.field, error.reason])
    }

    static func rejections(_ db: Database, fileID: Int64) throws -> [Rejection] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT line, field, reason, byte_offset, byte_length FROM rejections WHERE file_id = ? ORDER BY id
            """), arguments: [fileID]).map {
            Rejection(line: $0[0], field: $0[1], reason: $0[2], byteOffset: $0[3], byteLength: $0[4])
        }
    }
}
