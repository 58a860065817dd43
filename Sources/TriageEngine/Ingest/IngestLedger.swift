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

/// A claimed spool file's row in `ingest_files`.
struct LedgerEntry {
    let id: Int64
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
        guard let row = try Row.fetchOne(db, sql: """
            SELECT id, byte_offset, line, outcome, accepted, duplicates, rejected, noise_held, status_changes
            FROM ingest_files WHERE name = ? AND device = ? AND inode = ? AND size = ? AND mtime_ns = ?
            """, arguments: [Data(name.bytes), identity.device, identity.inode, identity.size, identity.mtimeNanoseconds])
        else { return nil }
        return LedgerEntry(
            id: row[0], byteOffset: row[1], line: row[2], outcome: (row[3] as String?).flatMap(FileOutcome.init(rawValue:)),
            counts: FileCounts(accepted: row[4], duplicates: row[5], rejected: row[6], noiseHeld: row[7], statusChanges: row[8]))
    }

    static func claim(_ db: Database, _ name: SpoolName, _ identity: FileIdentity, at now: Double) throws -> LedgerEntry {
        try db.execute(sql: """
            INSERT INTO ingest_files (name, device, inode, size, mtime_ns, claimed_at) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [Data(name.bytes), identity.device, identity.inode, identity.size, identity.mtimeNanoseconds, now])
        return LedgerEntry(id: db.lastInsertedRowID, byteOffset: 0, line: 0, outcome: nil, counts: FileCounts())
    }

    static func save(_ db: Database, _ entry: LedgerEntry, finishedAt: Double?) throws {
        try db.execute(sql: """
            UPDATE ingest_files SET byte_offset = ?, line = ?, outcome = ?, accepted = ?, duplicates = ?, rejected = ?,
                noise_held = ?, status_changes = ?, finished_at = ? WHERE id = ?
            """, arguments: [entry.byteOffset, entry.line, entry.outcome?.rawValue, entry.counts.accepted,
                             entry.counts.duplicates, entry.counts.rejected, entry.counts.noiseHeld,
                             entry.counts.statusChanges, finishedAt, entry.id])
    }

    static func recordRejection(_ db: Database, fileID: Int64, line: Int?, offset: Int64, length: Int, error: PayloadError) throws {
        try db.execute(sql: """
            INSERT INTO rejections (file_id, line, byte_offset, byte_length, field, reason) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [fileID, line, offset, length, error.field, error.reason])
    }

    static func rejections(_ db: Database, fileID: Int64) throws -> [Rejection] {
        try Row.fetchAll(db, sql: """
            SELECT line, field, reason, byte_offset, byte_length FROM rejections WHERE file_id = ? ORDER BY id
            """, arguments: [fileID]).map {
            Rejection(line: $0[0], field: $0[1], reason: $0[2], byteOffset: $0[3], byteLength: $0[4])
        }
    }
}
