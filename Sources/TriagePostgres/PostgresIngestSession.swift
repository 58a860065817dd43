import Foundation
import GRDB
import PostgresNIO
import TriageEngine

/// The team store's `IngestSession`: one pass's batches on the ingester's connection, shared with
/// other ingesters writing at the same time. Each rule several ingesters could race on is decided
/// by the database, never by a read and then a write (Docs/DECISIONS.md, "Team store: several
/// ingesters"):
/// - an occurrence id is claimed by `INSERT … ON CONFLICT DO NOTHING` on `occurrence_ids`' key;
/// - a group is created by `INSERT … ON CONFLICT (project_id, fingerprint) DO NOTHING`: only the
///   ingester whose insert made it records its history entry and its "new issue" notification;
/// - counts are added (`times_seen = times_seen + n`) under the group's row lock, taken for a
///   flush's groups in id order, and held to the commit: a regression or an escalation is decided
///   under it, so once;
/// - a noise window's row is locked as it is read (an upsert), so its count is the sum of every
///   ingester's and one of them forms the group.
/// A deadlock or serialisation failure rolls the whole batch back; the pass runs again.
final class PostgresIngestSession: IngestSession {
    private let session: PostgresSession
    private let lifecycle: PostgresLifecycle
    private let ledger: PostgresIngestLedger
    private let groups: PostgresGroupWrites
    private let noise: PostgresNoiseWrites
    private let retention: PostgresRetention?

    init(_ session: PostgresSession, spool: String, keep: Int?) {
        self.session = session
        let query: PostgresQueryFunction = { sql, values in try session.query(sql, values) }
        lifecycle = PostgresLifecycle(query: query)
        ledger = PostgresIngestLedger(query: query, spool: spool)
        groups = PostgresGroupWrites(session)
        noise = PostgresNoiseWrites(session)
        retention = keep.map { PostgresRetention(session, keep: $0) }
    }

    // MARK: The batch

    func begin() throws { try session.begin() }
    func commit() throws {
        try noise.write()
        try session.commit()
        noise.forget()
    }

    func rollback() throws {
        retention?.forgetNoted()
        noise.forget()
        try session.rollback()
    }

    // MARK: Occurrences

    func claim(_ id: UUIDBytes) throws -> Bool {
        try !session.query("INSERT INTO occurrence_ids (id) VALUES (?) ON CONFLICT DO NOTHING RETURNING 1 AS claimed",
                           [Self.blob(id)]).isEmpty
    }

    var claimsInBulk: Bool { true }

    /// One statement for a batch's ids, inserted in byte order so two ingesters claiming the same
    /// ids take their keys in the same order.
    func claim(_ ids: [UUIDBytes]) throws -> [Bool] {
        guard !ids.isEmpty else { return [] }
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(ids.map(PostgresGroupWrites.buffer))
        let claimed = Set(try session.query(numbered: """
            INSERT INTO occurrence_ids (id) SELECT DISTINCT id FROM unnest($1::bytea[]) AS batch(id) ORDER BY id
            ON CONFLICT DO NOTHING RETURNING id
            """, bindings).compactMap { $0.get("id") as Data? })
        var seen = Set<Data>()
        return ids.map { id in
            let bytes = id.withUnsafeBytes { Data($0) }
            return claimed.contains(bytes) && seen.insert(bytes).inserted
        }
    }

    func unclaim(_ ids: [UUIDBytes]) throws {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(ids.map(PostgresGroupWrites.buffer))
        try session.query(numbered: "DELETE FROM occurrence_ids WHERE id = ANY($1::bytea[])", bindings)
    }

    func insertOccurrences(_ rows: [OccurrenceRow], at positions: [Int]) throws -> [Int64] {
        // Rows held since the last flush arrived before these: they are stored first.
        try noise.write()
        return try groups.insert(rows, at: positions)
    }

    func hold(_ row: OccurrenceRow) throws { noise.hold(row) }

    func releaseHeld(_ window: NoiseWindow, into groupID: Int64) throws -> [HeldOccurrence] {
        try noise.write()
        return try session.query("""
            UPDATE occurrences SET group_id = ?, noise_key = NULL, noise_window = NULL
            WHERE noise_key = ? AND noise_window = ? AND group_id IS NULL
            RETURNING seq, payload
            """, [groupID.databaseValue, window.id.databaseValue, window.window.databaseValue])
            .map { HeldOccurrence(seq: $0.get("seq") ?? 0, payload: [UInt8]($0.get("payload") as Data? ?? Data())) }
            .sorted { $0.seq < $1.seq }
    }

    func noiseWindow(for key: GroupKey, typeID: Int) throws -> NoiseWindow { try noise.window(for: key, typeID: typeID) }
    func saveNoiseWindow(_ window: NoiseWindow) throws { try noise.save(window) }

    // MARK: Payload dictionaries

    /// Payloads are stored verbatim in the team store (TOAST compresses them): no dictionary.
    func newestDictionary() throws -> PayloadDictionary? { nil }
    func storeDictionary(_ bytes: [UInt8], at now: Double) throws -> PayloadDictionary? { nil }

    // MARK: Groups

    func findGroup(_ key: GroupKey) throws -> CachedGroup? {
        try session.query("SELECT id, type_id FROM groups WHERE project_id = ? AND fingerprint = ?",
                          [key.projectID.databaseValue, key.fingerprint.databaseValue])
            .first.map { CachedGroup(id: $0.get("id") ?? 0, typeID: $0.get("type_id") ?? 0) }
    }

    var findsInBulk: Bool { true }

    func findGroups(_ keys: [GroupKey]) throws -> [GroupKey: CachedGroup] { try groups.find(keys) }

    func createGroup(_ group: NewGroup, at now: Double) throws -> Int64 {
        try groups.create(group, at: now)
    }

    var createsInBulk: Bool { true }

    /// Under a savepoint: a value the server refuses (a payload's fault) leaves the transaction
    /// usable, and the writer then creates the groups one by one, which finds the payload at fault.
    func createGroups(_ groups: [NewGroup], at now: Double) throws -> [(id: Int64, made: Bool)]? {
        try session.query("SAVEPOINT create_groups")
        do {
            let created = try self.groups.create(groups, at: now)
            try session.query("RELEASE SAVEPOINT create_groups")
            return created
        } catch let failure as PostgresFailure where failure.isBadValue {
            try session.query("ROLLBACK TO SAVEPOINT create_groups")
            return nil
        }
    }

    func withdrawGroups(_ ids: [Int64]) throws { try groups.withdraw(ids) }

    func writeCounts(_ counts: [GroupCounts]) throws -> [GroupStanding?] { try groups.write(counts) }

    /// Locked until the commit: a status-change payload decides its transition on the state it read.
    func groupState(_ groupID: Int64) throws -> GroupState {
        guard let row = try session.query("SELECT status, substatus FROM groups WHERE id = ? FOR UPDATE", [groupID.databaseValue]).first else {
            throw StoreError.groupNotFound(String(groupID))
        }
        let status = row.get("status").flatMap(GroupStatus.init(rawValue:)) ?? .unresolved
        return GroupState(status: status, substatus: row.get("substatus").flatMap(GroupSubstatus.init(rawValue:))) ?? .ongoing
    }

    func regress(_ groupID: Int64, at now: Double) throws -> Bool { try groups.regress(groupID, at: now) }
    func apply(_ transition: GroupTransition, at now: Double) throws { try lifecycle.apply(transition, at: now) }

    func ignoreSnapshot(of groupID: Int64) throws -> IgnoreSnapshot? {
        try session.query("SELECT * FROM ignore_conditions WHERE group_id = ?", [groupID.databaseValue]).first.map {
            IgnoreSnapshot(condition: IgnoreCondition(until: $0.get("until_time"), count: $0.get("count"), countWindow: $0.get("count_window"),
                                                      users: $0.get("users"), userWindow: $0.get("user_window")),
                           ignoredAt: $0.get("ignored_at") ?? 0, timesSeenAtIgnore: $0.get("times_seen_at_ignore") ?? 0,
                           seqAtIgnore: $0.get("seq_at_ignore") ?? 0)
        }
    }

    func hourlyCounts(of groupID: Int64, hours: ClosedRange<Int64>) throws -> [Int64: Int] {
        var counts: [Int64: Int] = [:]
        for row in try session.query("SELECT hour, count FROM group_hours WHERE group_id = ? AND hour BETWEEN ? AND ?",
                                     [groupID.databaseValue, hours.lowerBound.databaseValue, hours.upperBound.databaseValue]) {
            if let hour: Int64 = row.get("hour") { counts[hour] = row.get("count") ?? 0 }
        }
        return counts
    }

    func notify(_ groupID: Int64, _ reason: NotificationReason, detail: String?, at now: Double) throws {
        try lifecycle.notify(groupID, reason, detail: detail, at: now)
    }

    /// The trigram index follows `search_text` by itself.
    func indexSearchText() throws {}

    // MARK: Ignore conditions

    func occurrences(of groupID: Int64, after seq: Int64, detectedAfter time: Double) throws -> Int {
        try lifecycle.occurrences(of: groupID, after: seq, detectedAfter: time)
    }

    func users(of groupID: Int64, seenAfter seq: Int64, lastSeenAfter time: Double) throws -> Int {
        try lifecycle.users(of: groupID, seenAfter: seq, lastSeenAfter: time)
    }

    func newUsers(of groupID: Int64, after seq: Int64) throws -> Int { try lifecycle.newUsers(of: groupID, after: seq) }

    // MARK: Retention

    func retentionLimit(of groupID: Int64) throws -> Int? { try retention?.limit(of: groupID) }
    func noteKept(_ groupID: Int64, kept: Int) throws { retention?.noteKept(groupID, kept: kept) }
    var holdsOccurrencesToPrune: Bool { retention?.hasNoted ?? false }
    func pruneNoted() throws { try retention?.pruneNoted() }

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

    func recordMoves(_ files: [FinishedFile], of spool: SpoolIdentity) throws -> Int64 { try ledger.recordMoves(files) }

    func forgetMoved(entries: [Int64], moveRecords: [Int64]) throws {
        try session.transaction { transaction in
            try PostgresIngestLedger(query: transaction.query, spool: ledger.spool).forget(entries: entries, moveRecords: moveRecords)
        }
    }

    static func blob(_ id: UUIDBytes) -> DatabaseValue {
        id.withUnsafeBytes { Data($0) }.databaseValue
    }
}
