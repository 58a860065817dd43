import Foundation
import GRDB

/// The SQLite store's `IngestSession`: the pass's one write connection, its hot statements
/// prepared once and bound directly (`RawStatement`), the rest through GRDB's statement cache.
final class SQLiteIngestSession: IngestSession {
    let db: Database
    /// The lifecycle's writes and ignore-condition counts, shared with the rule clock.
    private let lifecycle: SQLiteLifecycle
    private let groups: SQLiteGroupWrites
    private let noiseWindows: NoiseWindows
    private let retention: OccurrenceRetention?
    private let ledger: IngestLedger
    private let payloads: PayloadDecompressor
    private let claimID: RawStatement
    private let insertOccurrence: RawStatement

    init(db: Database, settings: EngineSettings, payloads: PayloadDecompressor = PayloadDecompressor()) throws {
        self.db = db
        self.payloads = payloads
        lifecycle = SQLiteLifecycle(db: db)
        groups = try SQLiteGroupWrites(db)
        noiseWindows = try NoiseWindows(db)
        retention = try settings.keepOccurrences.map { try OccurrenceRetention(db, keep: $0) }
        ledger = try IngestLedger(db)
        claimID = try RawStatement(db, "INSERT INTO occurrence_ids (id) VALUES (?1) ON CONFLICT DO NOTHING")
        insertOccurrence = try RawStatement(db, """
            INSERT INTO occurrences (id, group_id, type_id, detection_time, event_id, noise_key, noise_window, payload, payload_dictionary)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
            """)
    }

    // MARK: The batch

    func begin() throws {
        _ = groups.takeUnindexed()
        try db.beginTransaction(.immediate)
    }

    func commit() throws {
        // The groups the writer created are indexed in the transaction that creates them, whatever
        // the caller flushed: readers never see the index behind the table.
        if groups.hasUnindexed { try indexSearchText() }
        try db.commit()
    }

    func rollback() throws {
        _ = groups.takeUnindexed()
        try db.rollback()
    }

    // MARK: Occurrences

    func claim(_ id: UUIDBytes) throws -> Bool {
        id.withUnsafeBytes { claimID.bind(1, blob: $0) }
        return try claimID.execute() == 1
    }

    func insertOccurrences(_ rows: [OccurrenceRow], at positions: [Int]) throws -> [Int64] {
        var seqs: [Int64] = []
        seqs.reserveCapacity(positions.count)
        // By position, each row read in place (see `StagedRows.rows`).
        for position in positions { seqs.append(try insert(rows[position])) }
        return seqs
    }

    func hold(_ row: OccurrenceRow) throws { _ = try insert(row) }

    /// Inserts a row; returns its sequence number.
    private func insert(_ row: borrowing OccurrenceRow) throws -> Int64 {
        row.id.withUnsafeBytes { insertOccurrence.bind(1, blob: $0) }
        if let groupID = row.groupID { insertOccurrence.bind(2, groupID) } else { insertOccurrence.bindNull(2) }
        insertOccurrence.bind(3, row.typeID)
        insertOccurrence.bind(4, row.detectionTime)
        row.eventID.withUnsafeBytes { insertOccurrence.bind(5, blob: $0) }
        if let noise = row.noise {
            insertOccurrence.bind(6, noise.key)
            insertOccurrence.bind(7, noise.window)
        } else {
            insertOccurrence.bindNull(6)
            insertOccurrence.bindNull(7)
        }
        insertOccurrence.bind(8, blob: row.payload)
        if let dictionaryID = row.dictionaryID { insertOccurrence.bind(9, dictionaryID) } else { insertOccurrence.bindNull(9) }
        try insertOccurrence.execute()
        return insertOccurrence.lastInsertedRowID
    }

    func releaseHeld(_ window: NoiseWindow, into groupID: Int64) throws -> [HeldOccurrence] {
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT seq, payload, payload_dictionary FROM occurrences WHERE noise_key = ? AND noise_window = ? AND group_id IS NULL
            """), arguments: [window.id, window.window])
        let held = try rows.map {
            HeldOccurrence(seq: $0["seq"],
                           payload: try payloads.payload(db, stored: [UInt8]($0["payload"] as Data), dictionaryID: $0["payload_dictionary"]))
        }
        try db.cachedStatement(sql: """
            UPDATE occurrences SET group_id = ?, noise_key = NULL, noise_window = NULL
            WHERE noise_key = ? AND noise_window = ? AND group_id IS NULL
            """).execute(arguments: [groupID, window.id, window.window])
        return held
    }

    func noiseWindow(for key: GroupKey, typeID: Int) throws -> NoiseWindow { try noiseWindows.load(key: key, typeID: typeID) }
    func saveNoiseWindow(_ window: NoiseWindow) throws { try noiseWindows.save(window) }

    // MARK: Payload dictionaries

    func newestDictionary() throws -> PayloadDictionary? { try PayloadDictionary.newest(db) }

    func storeDictionary(_ bytes: [UInt8], at now: Double) throws -> PayloadDictionary? {
        try PayloadDictionary.store(db, bytes: bytes, at: now)
    }

    // MARK: Groups

    func findGroup(_ key: GroupKey) throws -> CachedGroup? { try groups.find(key) }
    func createGroup(_ group: NewGroup, at now: Double) throws -> Int64 { try groups.create(group, at: now) }
    func writeCounts(_ counts: [GroupCounts]) throws -> [GroupStanding?] { try counts.map { try groups.write($0) } }
    func groupState(_ groupID: Int64) throws -> GroupState { try GroupStateRow.fetch(db, groupID: groupID) }
    func regress(_ groupID: Int64, at now: Double) throws -> Bool { try groups.regress(groupID, at: now) }
    func apply(_ transition: GroupTransition, at now: Double) throws { try lifecycle.apply(transition, at: now) }
    func ignoreSnapshot(of groupID: Int64) throws -> IgnoreSnapshot? { try IgnoreConditionRow.snapshot(db, groupID: groupID) }

    func hourlyCounts(of groupID: Int64, hours: ClosedRange<Int64>) throws -> [Int64: Int] {
        var counts: [Int64: Int] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT hour, count FROM group_hours WHERE group_id = ? AND hour BETWEEN ? AND ?"),
                                    arguments: [groupID, hours.lowerBound, hours.upperBound]) {
            let hour: Int64 = row["hour"]
            counts[hour] = row["count"] as Int
        }
        return counts
    }

    func notify(_ groupID: Int64, _ reason: NotificationReason, detail: String?, at now: Double) throws {
        try lifecycle.notify(groupID, reason, detail: detail, at: now)
    }

    func indexSearchText() throws { try FreeTextIndex.sync(db, newGroups: groups.takeUnindexed()) }

    // MARK: Ignore conditions

    func occurrences(of groupID: Int64, after seq: Int64, detectedAfter time: Double) throws -> Int {
        try lifecycle.occurrences(of: groupID, after: seq, detectedAfter: time)
    }

    func users(of groupID: Int64, seenAfter seq: Int64, lastSeenAfter time: Double) throws -> Int {
        try lifecycle.users(of: groupID, seenAfter: seq, lastSeenAfter: time)
    }

    func newUsers(of groupID: Int64, after seq: Int64) throws -> Int { try lifecycle.newUsers(of: groupID, after: seq) }

    // MARK: Retention

    func retentionLimit(of groupID: Int64) throws -> Int? { try retention?.limit(db, groupID: groupID) }
    func noteKept(_ groupID: Int64, kept: Int) throws { try retention?.noteKept(db, groupID: groupID, kept: kept) }
    var holdsOccurrencesToPrune: Bool { retention?.hasNoted ?? false }
    func pruneNoted() throws { try retention?.pruneNoted(db) }

    // MARK: Ledger

    func ledgerEntry(_ name: SpoolName, _ identity: FileIdentity) throws -> LedgerEntry? { try ledger.find(name, identity) }
    func claimLedgerEntry(_ entry: inout LedgerEntry, at now: Double) throws -> Int64 { try ledger.claim(&entry, at: now) }
    func saveLedgerEntry(_ entry: inout LedgerEntry, at now: Double, finished: Bool) throws {
        try ledger.save(&entry, at: now, finished: finished)
    }

    func recordRejection(fileID: Int64, line: Int?, offset: Int64, length: Int, field: String?, reason: String) throws {
        try ledger.recordRejection(fileID: fileID, line: line, offset: offset, length: length, field: field, reason: reason)
    }

    func rejections(fileID: Int64) throws -> [Rejection] { try ledger.rejections(fileID: fileID) }

    func recordMoves(_ files: [FinishedFile], of spool: SpoolIdentity) throws -> Int64 {
        try PendingMoves.record(files, of: spool, in: db)
    }

    func forgetMoved(entries: [Int64], moveRecords: [Int64]) throws {
        try db.inTransaction(.immediate) {
            try ledger.forget(entries)
            try PendingMoves.forget(moveRecords, in: db)
            return .commit
        }
    }
}
