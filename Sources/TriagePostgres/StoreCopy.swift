import Foundation
import GRDB
import TriageEngine

/// `triage store copy`: a local SQLite store into the team store, in one transaction (a failed copy
/// leaves nothing behind) read from one snapshot of the source.
///
/// Idempotent by natural keys, so a rerun copies nothing twice: a group the team store already has
/// (same project and fingerprint) is left as it is there, with its occurrences, history and the rest;
/// a noise key likewise; an occurrence whose id the team store has is not stored again. A copied
/// group keeps its id when that id is free, so its short id stays the same.
public struct StoreCopy {
    let source: SQLiteStore
    let target: PostgresSession

    public init(source: SQLiteStore, target: PostgresSession) {
        self.source = source
        self.target = target
    }

    /// A copied group's short id in the local store and in the team store.
    public struct Renumbering: Sendable, Equatable {
        public let from: String
        public let to: String
    }

    public struct Report: Sendable, Equatable {
        public var groups = 0
        public var groupsAlreadyThere = 0
        public var occurrences = 0
        public var history = 0
        public var links = 0
        public var assignments = 0
        public var priorities = 0
        public var notes = 0
        public var hours = 0
        public var users = 0
        public var notifications = 0
        public var noiseKeys = 0
        public var heldOccurrences = 0
        /// Occurrences of groups the team store already had: not copied, and their ids not marked
        /// seen there, so ingesting their payloads again counts them on the team store's group.
        public var occurrencesLeftOut = 0
        /// Groups whose id another group had in the team store: their short ids changed (old, new).
        public var renumbered: [Renumbering] = []

        public var summary: String {
            "\(counted(groups, "group")) copied (\(groupsAlreadyThere) already there), \(counted(occurrences, "occurrence")), "
                + "\(counted(history, "history entry", "history entries")), \(counted(links, "link")), \(counted(assignments, "assignment")), "
                + "\(counted(priorities, "priority change")), "
                + "\(counted(notes, "note")), \(counted(hours, "hourly count")), \(counted(users, "user")), "
                + "\(counted(notifications, "notification")), \(counted(noiseKeys, "noise key")) with \(counted(heldOccurrences, "held occurrence"))"
                + (occurrencesLeftOut == 0 ? "" : "; \(counted(occurrencesLeftOut, "occurrence")) of groups already there left out "
                    + "(ingest their payloads into the team store to count them)")
        }

        private func counted(_ number: Int, _ one: String, _ many: String? = nil) -> String {
            "\(number) \(number == 1 ? one : many ?? one + "s")"
        }
    }

    public func run() throws -> Report {
        try source.pool.read { db in
            try target.transaction { transaction in
                // One copy at a time: two copies of one store would both find its groups missing.
                try transaction.query("SELECT pg_advisory_xact_lock(7147)")
                var copy = Copying(db: db, transaction: transaction, payloads: source.payloads)
                try copy.all()
                return copy.report
            }
        }
    }
}

/// One run's state: the id each copied source row got in the team store.
private struct Copying {
    let db: Database
    let transaction: PostgresSession.Transaction
    let payloads: PayloadDecompressor
    var report = StoreCopy.Report()
    var groupIDs: [Int64: Int64] = [:]
    var noiseKeyIDs: [Int64: Int64] = [:]
    /// (source seq, team seq) of each copied occurrence, in source order.
    var sequences: [(Int64, Int64)] = []
    /// Source groups the team store already had (same project and fingerprint).
    var groupsAlreadyThere: Set<Int64> = []
    /// Ids of their occurrences, which the team store must not take for duplicates.
    var idsLeftOut: Set<Data> = []

    init(db: Database, transaction: PostgresSession.Transaction, payloads: PayloadDecompressor) {
        self.db = db
        self.transaction = transaction
        self.payloads = payloads
    }

    mutating func all() throws {
        try groups()
        try noiseKeys()
        try occurrences()
        try perGroupRows()
        // Ids of occurrences retention removed stay duplicates in the team store too.
        try forgetLeftOutThatAreThere()
        report.occurrencesLeftOut = idsLeftOut.count
        let ids = try Data.fetchAll(db, sql: "SELECT id FROM occurrence_ids").filter { !idsLeftOut.contains($0) }
        try insertMany("occurrence_ids", ["id"], ids.map { [$0.databaseValue] }, suffix: "ON CONFLICT DO NOTHING")
        // Copied ids were given explicitly: the next group made in the team store takes one after them.
        try transaction.query("SELECT setval(pg_get_serial_sequence('groups', 'id'), greatest((SELECT max(id) FROM groups), 1))")
    }

    private mutating func groups() throws {
        let columns = ["project_id", "fingerprint", "type_id", "title", "subtitle", "culprit", "level", "status", "substatus",
                       "substatus_since", "priority", "priority_locked", "first_seen", "last_seen", "times_seen", "important_name",
                       "important_value", "assignee", "search_text", "post_processed", "retired"]
        // SQLite keeps flags as 0/1; the team store as boolean.
        let placeholders = columns.map { ["priority_locked", "post_processed"].contains($0) ? "? <> 0" : "?" }.joined(separator: ", ")
        let names = columns.joined(separator: ", ")
        for row in try Row.fetchAll(db, sql: "SELECT id, \(names) FROM groups ORDER BY id") {
            let sourceID: Int64 = row["id"]
            let values = columns.map { row[$0] as DatabaseValue }
            if let id: Int64 = try transaction.query("""
                INSERT INTO groups (id, \(names)) VALUES (?, \(placeholders)) ON CONFLICT DO NOTHING RETURNING id
                """, [sourceID.databaseValue] + values).first?.get("id") {
                groupIDs[sourceID] = id
            } else if try !transaction.query("SELECT id FROM groups WHERE project_id = ? AND fingerprint = ?", [values[0], values[1]]).isEmpty {
                report.groupsAlreadyThere += 1
                groupsAlreadyThere.insert(sourceID)
                continue
            } else if let id: Int64 = try transaction.query("INSERT INTO groups (\(names)) VALUES (\(placeholders)) RETURNING id", values)
                .first?.get("id") {
                // Its id was another group's in the team store: it gets a new one (and a new short id).
                groupIDs[sourceID] = id
                let project: Int64 = row["project_id"]
                report.renumbered.append(.init(from: ShortID.format(projectID: project, groupID: sourceID),
                                               to: ShortID.format(projectID: project, groupID: id)))
            }
            report.groups += 1
        }
    }

    /// Of the occurrences of groups already there, those the team store has (a rerun of the copy,
    /// or payloads ingested there too) are not left out.
    private mutating func forgetLeftOutThatAreThere() throws {
        let ids = Array(idsLeftOut)
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = ids[start..<min(ids.count, start + 500)]
            let there = try transaction.query("SELECT id FROM occurrence_ids WHERE id IN (\(chunk.map { _ in "?" }.joined(separator: ", ")))",
                                              chunk.map(\.databaseValue))
            for row in there { if let id: Data = row.get("id") { idsLeftOut.remove(id) } }
        }
    }

    private mutating func noiseKeys() throws {
        for row in try Row.fetchAll(db, sql: "SELECT * FROM noise_keys ORDER BY id") {
            let group = (row["group_id"] as Int64?).flatMap { groupIDs[$0] }
            guard let id: Int64 = try transaction.query("""
                INSERT INTO noise_keys (project_id, fingerprint, type_id, "window", window_count, window_last_time, group_id)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id
                """, [row["project_id"], row["fingerprint"], row["type_id"], row["window"], row["window_count"], row["window_last_time"],
                      group?.databaseValue ?? .null]).first?.get("id") else { continue }
            noiseKeyIDs[row["id"]] = id
            report.noiseKeys += 1
        }
    }

    /// Occurrences of copied groups and those held under copied noise keys, payloads as received.
    private mutating func occurrences() throws {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT seq, id, group_id, type_id, detection_time, event_id, noise_key, noise_window, payload, payload_dictionary
            FROM occurrences ORDER BY seq
            """)
        var batch: [Row] = []
        while let row = try rows.next() {
            let group = (row["group_id"] as Int64?).flatMap { groupIDs[$0] }
            let key = (row["noise_key"] as Int64?).flatMap { noiseKeyIDs[$0] }
            if let source: Int64 = row["group_id"], groupsAlreadyThere.contains(source) {
                idsLeftOut.insert(row["id"])
                continue
            }
            guard group != nil || (row["group_id"] as Int64? == nil && key != nil) else { continue }
            batch.append(row.copy())
            if batch.count == 500 { try occurrences(batch); batch.removeAll() }
        }
        try occurrences(batch)
    }

    private mutating func occurrences(_ batch: [Row]) throws {
        guard !batch.isEmpty else { return }
        // Only occurrences whose id is new to the team store: one it has is a duplicate there.
        let fresh = Set(try insertMany("occurrence_ids", ["id"], batch.map { [$0["id"] as DatabaseValue] },
                                       suffix: "ON CONFLICT DO NOTHING RETURNING id").compactMap { $0.get("id") as Data? })
        var rows: [[DatabaseValue]] = []
        var sourceSeqs: [Data: Int64] = [:]
        for row in batch {
            let id: Data = row["id"]
            guard fresh.contains(id) else { continue }
            let payload = try payloads.payload(db, stored: [UInt8](row["payload"] as Data), dictionaryID: row["payload_dictionary"])
            let group = (row["group_id"] as Int64?).flatMap { groupIDs[$0] }
            let key = (row["noise_key"] as Int64?).flatMap { noiseKeyIDs[$0] }
            sourceSeqs[id] = row["seq"]
            rows.append([id.databaseValue, group?.databaseValue ?? .null, row["type_id"], row["detection_time"], row["event_id"],
                         key?.databaseValue ?? .null, row["noise_window"], Data(payload).databaseValue])
            if group == nil { report.heldOccurrences += 1 } else { report.occurrences += 1 }
        }
        let inserted = try insertMany("occurrences", ["id", "group_id", "type_id", "detection_time", "event_id", "noise_key", "noise_window", "payload"],
                                      rows, suffix: "RETURNING id, seq")
        for record in inserted {
            if let id: Data = record.get("id"), let seq: Int64 = record.get("seq"), let old = sourceSeqs[id] { sequences.append((old, seq)) }
        }
        sequences.sort { $0.0 < $1.0 }
    }

    /// The team store's seq standing where `old` stood among the copied occurrences: the newest
    /// copied at or before it (0 if none), so "occurrences since" counts the same ones.
    private func teamSeq(_ old: Int64) -> Int64 {
        var low = 0
        var high = sequences.count
        while low < high {
            let middle = (low + high) / 2
            if sequences[middle].0 <= old { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? 0 : sequences[low - 1].1
    }

    private mutating func perGroupRows() throws {
        func mapped(_ row: Row) -> DatabaseValue? { groupIDs[row["group_id"] as Int64].map(\.databaseValue) }
        var rows: [[DatabaseValue]] = []
        for row in try Row.fetchAll(db, sql: "SELECT * FROM status_history ORDER BY id") {
            guard let group = mapped(row) else { continue }
            rows.append([group, row["at"], row["from_status"], row["from_substatus"], row["to_status"], row["to_substatus"], row["cause"],
                         row["actor"], row["detail"]])
        }
        report.history = try insertMany("status_history", ["group_id", "at", "from_status", "from_substatus", "to_status", "to_substatus",
                                                           "cause", "actor", "detail"], rows).count

        rows = try Row.fetchAll(db, sql: "SELECT * FROM ignore_conditions").compactMap { row in
            mapped(row).map { [$0, row["ignored_at"], row["until_time"], row["count"], row["count_window"], row["users"], row["user_window"],
                               row["times_seen_at_ignore"], teamSeq(row["seq_at_ignore"]).databaseValue] }
        }
        try insertMany("ignore_conditions", ["group_id", "ignored_at", "until_time", "count", "count_window", "users", "user_window",
                                             "times_seen_at_ignore", "seq_at_ignore"], rows)

        rows = try Row.fetchAll(db, sql: "SELECT * FROM group_hours").compactMap { row in mapped(row).map { [$0, row["hour"], row["count"]] } }
        report.hours = try insertMany("group_hours", ["group_id", "hour", "count"], rows).count

        rows = try Row.fetchAll(db, sql: "SELECT * FROM group_users").compactMap { row in
            mapped(row).map { [$0, row["user"], teamSeq(row["first_seq"]).databaseValue, teamSeq(row["last_seq"]).databaseValue, row["last_seen"]] }
        }
        report.users = try insertMany("group_users", ["group_id", "\"user\"", "first_seq", "last_seq", "last_seen"], rows).count

        rows = try Row.fetchAll(db, sql: "SELECT * FROM group_links").compactMap { row in
            mapped(row).map { [$0, row["tracker"], row["external_id"], row["url"], row["title"], row["linked_by"], row["linked_at"]] }
        }
        report.links = try insertMany("group_links", ["group_id", "tracker", "external_id", "url", "title", "linked_by", "linked_at"], rows).count

        rows = try Row.fetchAll(db, sql: "SELECT * FROM group_assignments ORDER BY id").compactMap { row in
            mapped(row).map { [$0, row["at"], row["actor"], row["from_assignee"], row["to_assignee"]] }
        }
        report.assignments = try insertMany("group_assignments", ["group_id", "at", "actor", "from_assignee", "to_assignee"], rows).count

        rows = try Row.fetchAll(db, sql: "SELECT * FROM group_priorities ORDER BY id").compactMap { row in
            mapped(row).map { [$0, row["at"], row["actor"], row["from_priority"], row["to_priority"]] }
        }
        report.priorities = try insertMany("group_priorities", ["group_id", "at", "actor", "from_priority", "to_priority"], rows).count

        rows = try Row.fetchAll(db, sql: "SELECT * FROM group_notes ORDER BY id").compactMap { row in
            mapped(row).map { [$0, row["at"], row["author"], row["text"]] }
        }
        report.notes = try insertMany("group_notes", ["group_id", "at", "author", "text"], rows).count

        for row in try Row.fetchAll(db, sql: "SELECT * FROM notifications ORDER BY id") {
            guard let group = mapped(row) else { continue }
            guard let id: Int64 = try transaction.query("INSERT INTO notifications (group_id, reason, at, detail) VALUES (?, ?, ?, ?) RETURNING id",
                                                        [group, row["reason"], row["at"], row["detail"]]).first?.get("id") else { continue }
            report.notifications += 1
            let deliveries = try Row.fetchAll(db, sql: "SELECT * FROM notification_deliveries WHERE notification_id = ?", arguments: [row["id"] as Int64])
            try insertMany("notification_deliveries", ["notification_id", "notifier", "attempts", "next_attempt_at", "delivered_at", "last_error"],
                           deliveries.map { [id.databaseValue, $0["notifier"], $0["attempts"], $0["next_attempt_at"], $0["delivered_at"], $0["last_error"]] })
            // History, not news: the team's notifiers do not page the rota again for what the local store announced.
            try transaction.query("""
                INSERT INTO notification_deliveries (notification_id, notifier, attempts, next_attempt_at, delivered_at)
                SELECT ?, name, 0, 0, extract(epoch FROM now()) FROM notifiers
                ON CONFLICT (notification_id, notifier) DO NOTHING
                """, [id.databaseValue])
        }
    }

    /// Multi-row inserts, as many rows a statement as PostgreSQL's 65,535 parameters allow (at most 1,000).
    @discardableResult
    private func insertMany(_ table: String, _ columns: [String], _ rows: [[DatabaseValue]], suffix: String = "RETURNING 1 AS one") throws -> [PostgresRecord] {
        guard !rows.isEmpty else { return [] }
        let perStatement = max(1, min(1000, 65_535 / columns.count))
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        var records: [PostgresRecord] = []
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            let chunk = rows[start..<min(rows.count, start + perStatement)]
            records += try transaction.query("""
                INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES \(Array(repeating: tuple, count: chunk.count).joined(separator: ", ")) \(suffix)
                """, chunk.flatMap { $0 })
        }
        return records
    }
}
