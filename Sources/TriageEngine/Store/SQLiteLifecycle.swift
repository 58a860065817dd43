import GRDB

/// The SQLite store's `LifecycleStore`, on the caller's connection and transaction: the rule clock's
/// (`SQLiteStore.applyRules`) and the ingest session's, which counts ignore conditions through it.
struct SQLiteLifecycle: LifecycleStore {
    let db: Database

    func groupsIgnoredUntil(atOrBefore now: Double) throws -> [(groupID: Int64, until: Double?)] {
        try Row.fetchAll(db, sql: """
            SELECT g.id, c.until_time FROM groups g JOIN ignore_conditions c ON c.group_id = g.id
            WHERE g.status = ? AND g.substatus = ? AND c.until_time IS NOT NULL AND c.until_time <= ?
            """, arguments: [GroupStatus.ignored.rawValue, GroupSubstatus.untilConditionMet.rawValue, now])
            .map { (groupID: $0["id"], until: $0.lenient("until_time")) }
    }

    func groupsOngoingDue(clockStartedBy cutoff: Double) throws -> [(groupID: Int64, substatus: GroupSubstatus?)] {
        let states: [GroupSubstatus] = [.new, .regressed, .escalating]
        return try Row.fetchAll(db, sql: """
            SELECT id, substatus FROM groups
            WHERE status = ? AND substatus IN (?, ?, ?) AND coalesce(substatus_since, first_seen) <= ?
            """, arguments: StatementArguments([GroupStatus.unresolved.rawValue] + states.map(\.rawValue)) + [cutoff])
            .map { (groupID: $0["id"], substatus: $0.lenient("substatus").flatMap(GroupSubstatus.init(rawValue:))) }
    }

    func unresolvedGroups(of project: Int64, types: [Int], lastSeenBy cutoff: Double)
        throws -> [(groupID: Int64, substatus: GroupSubstatus?, lastSeen: Double?)] {
        try Row.fetchAll(db, sql: """
            SELECT id, substatus, last_seen FROM groups
            WHERE project_id = ? AND status = ? AND last_seen <= ? AND type_id IN (\(types.map(String.init).joined(separator: ",")))
            """, arguments: [project, GroupStatus.unresolved.rawValue, cutoff])
            .map { (groupID: $0["id"], substatus: $0.lenient("substatus").flatMap(GroupSubstatus.init(rawValue:)),
                    lastSeen: $0.lenient("last_seen")) }
    }

    func apply(_ transition: GroupTransition, at now: Double) throws { try SQLiteTransitions.apply(transition, db, at: now) }

    func notify(_ groupID: Int64, _ reason: NotificationReason, detail: String?, at now: Double) throws {
        try NotificationOutbox.record(db, groupID: groupID, reason: reason, at: now, detail: detail)
    }

    func prune(notificationsBefore: Double, hoursBefore: Int64) throws {
        try db.execute(sql: "DELETE FROM notification_deliveries WHERE notification_id IN (SELECT id FROM notifications WHERE at < ?)",
                       arguments: [notificationsBefore])
        try db.execute(sql: "DELETE FROM notifications WHERE at < ?", arguments: [notificationsBefore])
        try db.execute(sql: "DELETE FROM group_hours WHERE hour < ?", arguments: [hoursBefore])
    }

    // MARK: Ignore conditions

    func occurrences(of groupID: Int64, after seq: Int64, detectedAfter time: Double) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM occurrences WHERE group_id = ? AND seq > ? AND detection_time > ?",
                         arguments: [groupID, seq, time]) ?? 0
    }

    func users(of groupID: Int64, seenAfter seq: Int64, lastSeenAfter time: Double) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM group_users WHERE group_id = ? AND last_seq > ? AND last_seen > ?",
                         arguments: [groupID, seq, time]) ?? 0
    }

    func newUsers(of groupID: Int64, after seq: Int64) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM group_users WHERE group_id = ? AND first_seq > ?", arguments: [groupID, seq]) ?? 0
    }
}
