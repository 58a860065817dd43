import Foundation
import GRDB

/// `PendingMoves`' records in the SQLite store (`ingest_moves`).
extension PendingMoves {
    static func record(_ files: [FinishedFile], of spool: SpoolIdentity, in db: Database) throws -> Int64 {
        try db.cachedStatement(sql: "INSERT INTO ingest_moves (spool_device, spool_inode, files) VALUES (?, ?, ?)")
            .execute(arguments: [spool.device, spool.inode, Data(encode(files))])
        return db.lastInsertedRowID
    }

    static func forget(_ ids: [Int64], in db: Database) throws {
        for run in IngestLedger.runs(of: ids) {
            try db.cachedStatement(sql: "DELETE FROM ingest_moves WHERE id BETWEEN ? AND ?").execute(arguments: [run.lowerBound, run.upperBound])
        }
    }

    /// The records of `spool` (other spools may share the store), with their files.
    static func unfinished(of spool: SpoolIdentity, in db: Database) throws -> [(id: Int64, files: [FinishedFile])] {
        try Row.fetchAll(db, sql: "SELECT id, files FROM ingest_moves WHERE spool_device = ? AND spool_inode = ? ORDER BY id",
                         arguments: [spool.device, spool.inode]).map { row in
            let id: Int64 = row["id"]
            guard let blob = row["files"] as Data?, let files = decode([UInt8](blob)) else {
                throw StoreError.damagedLedger("its record of unfinished moves \(id) is not a list of files")
            }
            return (id, files)
        }
    }
}
