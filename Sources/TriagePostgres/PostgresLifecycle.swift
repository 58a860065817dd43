import Foundation
import GRDB
import TriageEngine

/// A statement runner: a session's or an open transaction's `query`.
typealias PostgresQueryFunction = (String, [DatabaseValue]) throws -> [PostgresRecord]

/// The team store's `LifecycleStore`, in the caller's transaction: the rule clock's
/// (`PostgresIngestStore.applyRules`) and the ingest session's transitions and ignore counts.
/// The groups a rule finds due are locked (`FOR UPDATE`) as they are read, so an ingester's
/// concurrent change waits and the rule's transition starts from the state it read.
struct PostgresLifecycle: LifecycleStore {
    let query: PostgresQueryFunction

    func groupsIgnoredUntil(atOrBefore now: Double) throws -> [(groupID: Int64, until: Double?)] {
        try query("""
            SELECT g.id, c.until_time FROM groups g JOIN ignore_conditions c ON c.group_id = g.id
            WHERE g.status = ? AND g.substatus = ? AND c.until_time IS NOT NULL AND c.until_time <= ?
            ORDER BY g.id FOR UPDATE OF g
            """, [GroupStatus.ignored.rawValue.databaseValue, GroupSubstatus.untilConditionMet.rawValue.databaseValue, now.databaseValue])
            .map { (groupID: $0.get("id") ?? 0, until: $0.get("until_time")) }
    }

    func groupsOngoingDue(clockStartedBy cutoff: Double) throws -> [(groupID: Int64, substatus: GroupSubstatus?)] {
        let states: [GroupSubstatus] = [.new, .regressed, .escalating]
        return try query("""
            SELECT id, substatus FROM groups
            WHERE status = ? AND substatus IN (?, ?, ?) AND coalesce(substatus_since, first_seen) <= ?
            ORDER BY id FOR UPDATE
            """, [GroupStatus.unresolved.rawValue.databaseValue] + states.map(\.rawValue.databaseValue) + [cutoff.databaseValue])
            .map { (groupID: $0.get("id") ?? 0, substatus: $0.get("substatus").flatMap(GroupSubstatus.init(rawValue:))) }
    }

    func unresolvedGroups(of project: Int64, types: [Int], lastSeenBy cutoff: Double)
        throws -> [(groupID: Int64, substatus: GroupSubstatus?, lastSeen: Double?)] {
        try query("""
            SELECT id, substatus, last_seen FROM groups
            WHERE project_id = ? AND status = ? AND last_seen <= ? AND type_id IN (\(types.map(String.init).joined(separator: ",")))
            ORDER BY id FOR UPDATE
            """, [project.databaseValue, GroupStatus.unresolved.rawValue.databaseValue, cutoff.databaseValue])
            .map { (groupID: $0.get("id") ?? 0, substatus: $0.get("substatus").flatMap(GroupSubstatus.init(rawValue:)),
                    lastSeen: $0.get("last_seen")) }
    }

    func apply(_ transition: GroupTransition, at now: Double) throws {
        // A payload's change is recorded as the ingesting role's, the server's word for who wrote it.
        let actor: (String, [DatabaseValue]) = transition.cause == .payload && transition.actor == nil
            ? ("current_user", []) : ("?", [transition.actor.databaseValue])
        try PostgresTransitions.write(query, groupID: transition.groupID, from: transition.from, to: transition.to, cause: transition.cause,
                                      actor: actor, detail: transition.detail, condition: transition.ignoreCondition, at: now)
    }

    func notify(_ groupID: Int64, _ reason: NotificationReason, detail: String?, at now: Double) throws {
        _ = try query("INSERT INTO notifications (group_id, reason, at, detail) VALUES (?, ?, ?, ?)",
                  [groupID.databaseValue, reason.rawValue.databaseValue, now.databaseValue, detail?.databaseValue ?? .null])
    }

    func prune(notificationsBefore: Double, hoursBefore: Int64) throws {
        _ = try query("DELETE FROM notification_deliveries WHERE notification_id IN (SELECT id FROM notifications WHERE at < ?)",
                  [notificationsBefore.databaseValue])
        _ = try query("DELETE FROM notifications WHERE at < ?", [notificationsBefore.databaseValue])
        _ = try query("DELETE FROM group_hours WHERE hour < ?", [hoursBefore.databaseValue])
    }

    // MARK: Ignore conditions

    func occurrences(of groupID: Int64, after seq: Int64, detectedAfter time: Double) throws -> Int {
        try query("SELECT count(*) AS n FROM occurrences WHERE group_id = ? AND seq > ? AND detection_time > ?",
                  [groupID.databaseValue, seq.databaseValue, time.databaseValue]).first?.get("n") ?? 0
    }

    func users(of groupID: Int64, seenAfter seq: Int64, lastSeenAfter time: Double) throws -> Int {
        try query("SELECT count(*) AS n FROM group_users WHERE group_id = ? AND last_seq > ? AND last_seen > ?",
                  [groupID.databaseValue, seq.databaseValue, time.databaseValue]).first?.get("n") ?? 0
    }

    func newUsers(of groupID: Int64, after seq: Int64) throws -> Int {
        try query("SELECT count(*) AS n FROM group_users WHERE group_id = ? AND first_seq > ?",
                  [groupID.databaseValue, seq.databaseValue]).first?.get("n") ?? 0
    }
}

/// `GroupTransition` written in PostgreSQL, for users' actions, the rules and ingest alike: the
/// state (restarting the ongoing clock where the rule says), the ignore condition set or cleared,
/// the history entry.
/// `actor` is the SQL that records who acted and its bindings (`PostgresStore.recordedActor`).
enum PostgresTransitions {
    static func write(_ query: PostgresQueryFunction, groupID: Int64, from: GroupState, to: GroupState, cause: TransitionCause,
                      actor: (sql: String, values: [DatabaseValue]), detail: String?, condition: (condition: IgnoreCondition, timesSeen: Int)?, at now: Double) throws {
        let id = groupID.databaseValue
        let substatus = to.substatus?.rawValue.databaseValue ?? .null
        if to.restartsOngoingClock {
            _ = try query("UPDATE groups SET status = ?, substatus = ?, substatus_since = ? WHERE id = ?",
                      [to.status.rawValue.databaseValue, substatus, now.databaseValue, id])
        } else {
            _ = try query("UPDATE groups SET status = ?, substatus = ? WHERE id = ?", [to.status.rawValue.databaseValue, substatus, id])
        }
        if let (kept, timesSeen) = condition {
            _ = try query("""
                INSERT INTO ignore_conditions
                    (group_id, ignored_at, until_time, count, count_window, users, user_window, times_seen_at_ignore, seq_at_ignore)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT coalesce(max(seq), 0) FROM occurrences))
                ON CONFLICT (group_id) DO UPDATE SET ignored_at = excluded.ignored_at, until_time = excluded.until_time,
                    count = excluded.count, count_window = excluded.count_window, users = excluded.users,
                    user_window = excluded.user_window, times_seen_at_ignore = excluded.times_seen_at_ignore,
                    seq_at_ignore = excluded.seq_at_ignore
                """, [id, now.databaseValue, kept.until?.databaseValue ?? .null, kept.count?.databaseValue ?? .null,
                      kept.countWindow?.databaseValue ?? .null, kept.users?.databaseValue ?? .null,
                      kept.userWindow?.databaseValue ?? .null, timesSeen.databaseValue])
        } else {
            _ = try query("DELETE FROM ignore_conditions WHERE group_id = ?", [id])
        }
        _ = try query("""
            INSERT INTO status_history (group_id, at, from_status, from_substatus, to_status, to_substatus, cause, actor, detail)
            VALUES (?, ?, ?, ?, ?, ?, ?, \(actor.sql), ?)
            """, [id, now.databaseValue, from.status.rawValue.databaseValue, from.substatus?.rawValue.databaseValue ?? .null,
                  to.status.rawValue.databaseValue, substatus, cause.rawValue.databaseValue] + actor.values + [detail?.databaseValue ?? .null])
    }
}
