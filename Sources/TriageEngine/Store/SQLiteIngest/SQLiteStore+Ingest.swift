import GRDB

extension SQLiteStore: IngestStore {
    package func prepareWriter(_ memory: IngestMemory) throws {
        try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA cache_size = -\(memory.writerCacheBytes >> 10)") }
    }

    package func withIngestSession<T>(_ body: (any IngestSession) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in
            try body(SQLiteIngestSession(db: db, settings: settings, payloads: payloads))
        }
    }

    package func blamesThePayload(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return true }
        switch error.resultCode.primaryResultCode {
        case .SQLITE_CONSTRAINT, .SQLITE_TOOBIG, .SQLITE_MISMATCH, .SQLITE_RANGE: return true
        default: return false
        }
    }

    // The pool, not `read`: the ingest's own reads are never interrupted as a screen's are.
    package func unfinishedMoves(of spool: SpoolIdentity) throws -> [(id: Int64, files: [FinishedFile])] {
        try pool.read { try PendingMoves.unfinished(of: spool, in: $0) }
    }

    package func settleMoves(unmoved: [FinishedFile], forgetting ids: [Int64]) throws {
        try pool.write { db in
            let ledger = try IngestLedger(db, preloadLimit: 0)
            for file in unmoved {
                var entry = IngestLedger.unclaimed(file.name, file.identity)
                entry.outcome = file.outcome
                entry.byteOffset = file.identity.size
                try ledger.save(&entry, at: clock.now(), finished: true)
            }
            try PendingMoves.forget(ids, in: db)
        }
    }

    package func newestHistoryID() throws -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM status_history") ?? 0 }
    }

    package func transitionCounts(since historyID: Int64) throws -> [(cause: String, count: Int)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT cause, count(*) AS changes FROM status_history
                WHERE id > ? AND cause NOT IN ('user', 'undo', 'occurrence:new_group') GROUP BY cause
                """, arguments: [historyID]).map { row -> (cause: String, count: Int) in (row["cause"], row["changes"]) }
        }
    }

    package func persist(_ metrics: TriageMetrics) throws { try metrics.persist(into: self) }
}
