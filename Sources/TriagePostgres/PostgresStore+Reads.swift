import Foundation
import GRDB
import TriageEngine

/// The reads the CLI and the TUI make, as `SQLiteStore+Queries` makes them, in PostgreSQL.
extension PostgresStore {
    public func groups(matching query: GroupQuery, sort: GroupSort, limit: Int?, offset: Int) throws -> [Group] {
        let (condition, values) = whereClause(query)
        if sort == .trend { return try trendOrdered(condition: condition, values: values, limit: limit, offset: offset) }
        var sql = Self.select(where: condition, orderBy: sort.orderBy)
        if let limit { sql += " LIMIT \(max(0, limit)) OFFSET \(max(0, offset))" }
        return try session.query(sql, values).map(Self.group)
    }

    public func countGroups(matching query: GroupQuery, upTo limit: Int?) throws -> Int {
        let (condition, values) = whereClause(query)
        let sql = limit.map { "SELECT count(*) AS n FROM (SELECT 1 FROM groups WHERE \(condition) LIMIT \(max(0, $0))) AS capped" }
            ?? "SELECT count(*) AS n FROM groups WHERE \(condition)"
        return try session.query(sql, values).first?.get("n") ?? 0
    }

    /// pg_trgm's index serves needles of three characters or more; shorter ones are scanned.
    public func scansFreeText(_ query: GroupQuery) throws -> Bool {
        query.terms.contains { term in
            guard !term.negated, case let .text(needle) = term.filter else { return false }
            return !needle.isEmpty && needle.unicodeScalars.count < 3
        }
    }

    public func position(of groupID: Int64, matching query: GroupQuery, sort: GroupSort) throws -> Int? {
        let (condition, values) = whereClause(query)
        guard let group = try session.query(Self.select(where: "id = ? AND (\(condition))"), [groupID.databaseValue] + values).first.map(Self.group)
        else { return nil }
        if sort == .trend, let index = try trendHead(condition: condition, values: values).firstIndex(where: { $0.id == groupID }) {
            return index
        }
        let (before, keys) = Self.precedes(group, in: sort)
        return try session.query("SELECT count(*) AS n FROM groups WHERE (\(condition)) AND (\(before))", values + keys).first?.get("n")
    }

    /// A condition true for exactly the groups `sort` puts before `group` (as `GroupSort.precedes`).
    static func precedes(_ group: Group, in sort: GroupSort) -> (String, [DatabaseValue]) {
        let id = group.id.databaseValue
        switch sort {
        case .lastSeen, .trend:
            return ("last_seen > ? OR (last_seen = ? AND id > ?)", [group.lastSeen.databaseValue, group.lastSeen.databaseValue, id])
        case .firstSeen:
            return ("first_seen > ? OR (first_seen = ? AND id > ?)", [group.firstSeen.databaseValue, group.firstSeen.databaseValue, id])
        case .events:
            return ("times_seen > ? OR (times_seen = ? AND id > ?)", [group.timesSeen.databaseValue, group.timesSeen.databaseValue, id])
        case .priority:
            return ("priority > ? OR (priority = ? AND (last_seen > ? OR (last_seen = ? AND id > ?)))",
                    [group.priority.databaseValue, group.priority.databaseValue, group.lastSeen.databaseValue, group.lastSeen.databaseValue, id])
        }
    }

    public func group(_ reference: String) throws -> Group {
        guard let (id, project) = ShortID.parse(reference),
              let group = try fetchGroup(session.query, id: id),
              project == nil || project == group.projectID
        else { throw StoreError.groupNotFound(reference) }
        return group
    }

    public func details(of groupID: Int64, occurrence: Int) throws -> GroupDetails {
        try session.transaction { transaction in
            guard let group = try fetchGroup(transaction.query, id: groupID) else { throw StoreError.groupNotFound(String(groupID)) }
            let id = groupID.databaseValue
            let count: Int = try transaction.query("SELECT count(*) AS n FROM occurrences WHERE group_id = ?", [id]).first?.get("n") ?? 0
            let index = max(0, min(occurrence, count - 1))
            let payload: Data? = try transaction.query("""
                SELECT payload FROM occurrences WHERE group_id = ? ORDER BY detection_time DESC, seq DESC LIMIT 1 OFFSET ?
                """, [id, index.databaseValue]).first?.get("payload")
            let history = try transaction.query("SELECT * FROM status_history WHERE group_id = ? ORDER BY id", [id])
                .map { StatusHistoryEntry(row: $0.row) }
            let condition = try transaction.query("SELECT * FROM ignore_conditions WHERE group_id = ?", [id]).first.map(Self.ignoreCondition)
            let links = try transaction.query("SELECT * FROM group_links WHERE group_id = ? ORDER BY linked_at, tracker", [id])
                .map { GroupLink(row: $0.row) }
            let assignments = try transaction.query("SELECT * FROM group_assignments WHERE group_id = ? ORDER BY id", [id])
                .map { AssignmentChange(row: $0.row) }
            let notes = try transaction.query("SELECT * FROM group_notes WHERE group_id = ? ORDER BY id", [id])
                .map { GroupNote(row: $0.row) }
            let priorities = try transaction.query("SELECT * FROM group_priorities WHERE group_id = ? ORDER BY id", [id])
                .map { PriorityChange(row: $0.row) }
            return GroupDetails(group: group, payload: payload.map { [UInt8]($0) }, occurrenceIndex: index, occurrenceCount: count,
                                history: history, assignments: assignments, notes: notes, ignoreCondition: condition, links: links,
                                priorities: priorities)
        }
    }

    static func ignoreCondition(_ record: PostgresRecord) -> IgnoreCondition {
        IgnoreCondition(until: record.get("until_time"), count: record.get("count"), countWindow: record.get("count_window"),
                        users: record.get("users"), userWindow: record.get("user_window"))
    }

    public func noiseHeld(limit: Int?) throws -> [NoiseHeldKey] {
        let now = clock.now()
        // The newest held occurrence's payload names the key, read in the same statement.
        return try session.query("""
            SELECT k.id AS key_id, k.project_id, k.fingerprint, k.type_id, k.window_count, k.window_last_time, count(*) AS held,
                   min(o.detection_time) AS first_seen, max(o.detection_time) AS last_seen,
                   (SELECT payload FROM occurrences n WHERE n.noise_key = k.id AND n.group_id IS NULL ORDER BY n.seq DESC LIMIT 1) AS payload
            FROM noise_keys k JOIN occurrences o ON o.noise_key = k.id AND o.group_id IS NULL
            GROUP BY k.id ORDER BY last_seen DESC, k.id DESC\(limit.map { " LIMIT \(max(0, $0))" } ?? "")
            """).map { record in
            let typeID: Int = record.get("type_id") ?? 0
            // As SQLite's store: a window whose latest occurrence is older than the expiry is over.
            let expiry = registry.type(id: typeID)?.noiseConfig?.expiryTime
            let lastTime: Double = record.get("window_last_time") ?? 0
            let expired = expiry.map { now - lastTime > $0 } ?? false
            let payload: Data? = record.get("payload")
            let title = payload.flatMap { (try? JSONDocument(bytes: [UInt8]($0), maxDepth: 1024))?.root["issue_title"]?.string }
            return NoiseHeldKey(projectID: record.get("project_id") ?? 0, fingerprint: record.get("fingerprint") ?? "", typeID: typeID,
                                held: record.get("held") ?? 0, windowCount: expired ? 0 : record.get("window_count") ?? 0,
                                firstSeen: record.get("first_seen") ?? 0, lastSeen: record.get("last_seen") ?? 0, title: title ?? "")
        }
    }

    public func notifications(after id: Int64, limit: Int) throws -> [TriageNotification] {
        try session.query("SELECT * FROM notifications WHERE id > ? ORDER BY id LIMIT ?", [id.databaseValue, limit.databaseValue]).map {
            TriageNotification(id: $0.get("id") ?? 0, groupID: $0.get("group_id") ?? 0,
                               reason: $0.get("reason").flatMap(NotificationReason.init(rawValue:)) ?? .newGroup,
                               at: $0.get("at") ?? 0, detail: $0.get("detail"))
        }
    }

    public func latestNotificationID() throws -> Int64 {
        try session.query("SELECT coalesce(max(id), 0) AS id FROM notifications").first?.get("id") ?? 0
    }

    public func typeCounts(matching query: GroupQuery) throws -> [(typeID: Int, count: Int)] {
        let (condition, values) = whereClause(query)
        return try session.query("SELECT type_id, count(*) AS n FROM groups WHERE \(condition) GROUP BY type_id ORDER BY n DESC, type_id", values)
            .map { (typeID: $0.get("type_id") ?? 0, count: $0.get("n") ?? 0) }
    }

    public func links(of groupID: Int64) throws -> [GroupLink] {
        try session.query("SELECT * FROM group_links WHERE group_id = ? ORDER BY linked_at, tracker", [groupID.databaseValue])
            .map { GroupLink(row: $0.row) }
    }
}
