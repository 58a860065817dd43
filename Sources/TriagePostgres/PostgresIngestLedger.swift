import Foundation
import GRDB
import TriageEngine

/// One spool's ingest ledger in the team store (`IngestLedgerRecords`): its files' progress, their
/// refusals and its commits' unfinished moves, each row naming the spool (`PostgresSpoolKey`), and
/// every write in the transaction of the rows it accounts for, as SQLite's `IngestLedger` does.
struct PostgresIngestLedger {
    let query: PostgresQueryFunction
    let spool: String

    private static let columns = """
        id, byte_offset, line, outcome, accepted, duplicates, rejected, noise_held, status_changes, ctime_ns
        """

    /// The file's entry; one left for a file that moved out and came back (another change time) is forgotten.
    func find(_ name: SpoolName, _ identity: FileIdentity) throws -> LedgerEntry? {
        guard let row = try query("""
            SELECT \(Self.columns) FROM ingest_files
            WHERE spool = ? AND name = ? AND device = ? AND inode = ? AND size = ? AND mtime_ns = ?
            """, [spool.databaseValue, Data(name.bytes).databaseValue, identity.device.databaseValue, identity.inode.databaseValue,
                  identity.size.databaseValue, identity.mtimeNanoseconds.databaseValue]).first,
              let id: Int64 = row.get("id")
        else { return nil }
        guard row.get("ctime_ns") == identity.ctimeNanoseconds else {
            try forget(entries: [id], moveRecords: [])
            return nil
        }
        return LedgerEntry(id: id, name: name, identity: identity, byteOffset: row.get("byte_offset") ?? 0, line: row.get("line") ?? 0,
                           outcome: row.get("outcome").flatMap(FileOutcome.init(rawValue:)),
                           counts: FileCounts(accepted: row.get("accepted") ?? 0, duplicates: row.get("duplicates") ?? 0,
                                              rejected: row.get("rejected") ?? 0, noiseHeld: row.get("noise_held") ?? 0,
                                              statusChanges: row.get("status_changes") ?? 0))
    }

    func claim(_ entry: inout LedgerEntry, at now: Double) throws -> Int64 {
        if let id = entry.id { return id }
        try insert(&entry, at: now, finishedAt: nil)
        return entry.id!
    }

    func save(_ entry: inout LedgerEntry, at now: Double, finished: Bool) throws {
        let finishedAt: Double? = finished ? now : nil
        guard let id = entry.id else { return try insert(&entry, at: now, finishedAt: finishedAt) }
        _ = try query("""
            UPDATE ingest_files SET byte_offset = ?, line = ?, outcome = ?, accepted = ?, duplicates = ?, rejected = ?, noise_held = ?,
                status_changes = ?, finished_at = ? WHERE id = ?
            """, [entry.byteOffset.databaseValue, entry.line.databaseValue, entry.outcome?.rawValue.databaseValue ?? .null]
                + Self.values(entry.counts) + [finishedAt?.databaseValue ?? .null, id.databaseValue])
    }

    private func insert(_ entry: inout LedgerEntry, at now: Double, finishedAt: Double?) throws {
        let identity = entry.identity
        let row = try query("""
            INSERT INTO ingest_files (spool, name, device, inode, size, mtime_ns, ctime_ns, claimed_at, byte_offset, line, outcome,
                                      accepted, duplicates, rejected, noise_held, status_changes, finished_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
            """, [spool.databaseValue, Data(entry.name.bytes).databaseValue, identity.device.databaseValue, identity.inode.databaseValue,
                  identity.size.databaseValue, identity.mtimeNanoseconds.databaseValue, identity.ctimeNanoseconds.databaseValue,
                  now.databaseValue, entry.byteOffset.databaseValue, entry.line.databaseValue,
                  entry.outcome?.rawValue.databaseValue ?? .null] + Self.values(entry.counts) + [finishedAt?.databaseValue ?? .null])
        entry.id = row.first?.get("id")
    }

    private static func values(_ counts: FileCounts) -> [DatabaseValue] {
        [counts.accepted, counts.duplicates, counts.rejected, counts.noiseHeld, counts.statusChanges].map(\.databaseValue)
    }

    func recordRejection(fileID: Int64, line: Int?, offset: Int64, length: Int, field: String?, reason: String) throws {
        _ = try query("""
            INSERT INTO ingest_rejections (file_id, line, byte_offset, byte_length, field, reason) VALUES (?, ?, ?, ?, ?, ?)
            """, [fileID.databaseValue, line?.databaseValue ?? .null, offset.databaseValue, length.databaseValue,
                  field?.databaseValue ?? .null, reason.databaseValue])
    }

    func rejections(fileID: Int64) throws -> [Rejection] {
        try query("SELECT line, field, reason, byte_offset, byte_length FROM ingest_rejections WHERE file_id = ? ORDER BY id",
                  [fileID.databaseValue]).map {
            Rejection(line: $0.get("line"), field: $0.get("field"), reason: $0.get("reason") ?? "", byteOffset: $0.get("byte_offset") ?? 0,
                      byteLength: $0.get("byte_length") ?? 0)
        }
    }

    func recordMoves(_ files: [FinishedFile]) throws -> Int64 {
        try query("INSERT INTO ingest_moves (spool, files) VALUES (?, ?) RETURNING id",
                  [spool.databaseValue, Data(PendingMoves.encode(files)).databaseValue]).first?.get("id") ?? 0
    }

    /// Deletes entries (their refusals with them) and move records; only this spool's.
    func forget(entries: [Int64], moveRecords: [Int64]) throws {
        if !entries.isEmpty {
            _ = try query("DELETE FROM ingest_files WHERE spool = ? AND id = ANY(string_to_array(?, ',')::bigint[])",
                      [spool.databaseValue, entries.map(String.init).joined(separator: ",").databaseValue])
        }
        if !moveRecords.isEmpty {
            _ = try query("DELETE FROM ingest_moves WHERE spool = ? AND id = ANY(string_to_array(?, ',')::bigint[])",
                      [spool.databaseValue, moveRecords.map(String.init).joined(separator: ",").databaseValue])
        }
    }

    /// The spool's records of moves a stopped run committed and did not make, oldest first.
    static func unfinishedMoves(of spool: String, query: PostgresQueryFunction) throws -> [(id: Int64, files: [FinishedFile])] {
        try query("SELECT id, files FROM ingest_moves WHERE spool = ? ORDER BY id", [spool.databaseValue]).map { row in
            let id: Int64 = row.get("id") ?? 0
            guard let blob: Data = row.get("files"), let files = PendingMoves.decode([UInt8](blob)) else {
                throw StoreError.damagedLedger("its record of unfinished moves \(id) is not a list of files")
            }
            return (id, files)
        }
    }
}
