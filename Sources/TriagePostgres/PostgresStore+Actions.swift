import Foundation
import GRDB
import TriageEngine

/// The user actions, as `SQLiteStore` applies them. Each runs in one transaction and locks the rows
/// it decides on (`FOR UPDATE`), so two engineers acting on a group at once act one after the other.
extension PostgresStore {
    public func apply(_ action: StatusAction, to groupIDs: [Int64], actor: String?) throws -> [TransitionResult] {
        let now = clock.now()
        return try session.transaction { transaction in
            var results: [TransitionResult] = []
            for groupID in groupIDs {
                guard let group = try lockedGroup(transaction, groupID) else { throw StoreError.groupNotFound(String(groupID)) }
                guard let target = try action.userTarget(for: group, registry: registry) else {
                    results.append(TransitionResult(groupID: groupID, from: group.state, to: nil))
                    continue
                }
                let previous = try transaction.query("SELECT * FROM ignore_conditions WHERE group_id = ?", [groupID.databaseValue])
                    .first.map(Self.ignoreCondition)
                var condition: (IgnoreCondition, Int)?
                if case let .ignore(.untilCondition(kept)) = action { condition = (kept, group.timesSeen) }
                try transition(transaction, groupID: groupID, from: group.state, to: target, cause: .user, actor: actor,
                               condition: condition, at: now)
                results.append(TransitionResult(groupID: groupID, from: group.state, to: target, previousIgnoreCondition: previous))
            }
            return results
        }
    }

    public func setPriority(_ priority: Int?, of groupIDs: [Int64]) throws {
        try session.transaction { transaction in
            for groupID in groupIDs {
                let updated = if let priority {
                    try transaction.query("UPDATE groups SET priority = ?, priority_locked = true WHERE id = ? RETURNING id",
                                          [priority.databaseValue, groupID.databaseValue])
                } else {
                    try transaction.query("UPDATE groups SET priority_locked = false WHERE id = ? RETURNING id", [groupID.databaseValue])
                }
                guard updated.count == 1 else { throw StoreError.groupNotFound(String(groupID)) }
            }
        }
    }

    public func revert(_ results: [TransitionResult], actor: String?) throws -> (reverted: [TransitionResult], changedSince: [Int64]) {
        let now = clock.now()
        return try session.transaction { transaction in
            var reverted: [TransitionResult] = []
            var changedSince: [Int64] = []
            for result in results {
                guard let target = result.to else { continue }
                guard let group = try lockedGroup(transaction, result.groupID), group.state == target else {
                    changedSince.append(result.groupID)
                    continue
                }
                try transition(transaction, groupID: result.groupID, from: target, to: result.from, cause: .undo, actor: actor,
                               condition: result.previousIgnoreCondition.map { ($0, group.timesSeen) }, at: now)
                reverted.append(TransitionResult(groupID: result.groupID, from: target, to: result.from))
            }
            return (reverted, changedSince)
        }
    }

    private func lockedGroup(_ transaction: PostgresSession.Transaction, _ groupID: Int64) throws(PostgresFailure) -> Group? {
        try transaction.query(Self.select(where: "id = ?") + " FOR UPDATE", [groupID.databaseValue]).first.map(Self.group)
    }

    /// `GroupTransition.apply` in PostgreSQL: the state (restarting the ongoing clock where the rule
    /// says), the ignore condition set or cleared, the history entry.
    private func transition(_ transaction: PostgresSession.Transaction, groupID: Int64, from: GroupState, to: GroupState,
                            cause: TransitionCause, actor: String?, condition: (condition: IgnoreCondition, timesSeen: Int)?,
                            at now: Double) throws(PostgresFailure) {
        let id = groupID.databaseValue
        let substatus = to.substatus?.rawValue.databaseValue ?? .null
        if to.restartsOngoingClock {
            try transaction.query("UPDATE groups SET status = ?, substatus = ?, substatus_since = ? WHERE id = ?",
                                  [to.status.rawValue.databaseValue, substatus, now.databaseValue, id])
        } else {
            try transaction.query("UPDATE groups SET status = ?, substatus = ? WHERE id = ?", [to.status.rawValue.databaseValue, substatus, id])
        }
        if let (kept, timesSeen) = condition {
            try transaction.query("""
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
            try transaction.query("DELETE FROM ignore_conditions WHERE group_id = ?", [id])
        }
        let recorded = recordedActor(actor)
        try transaction.query("""
            INSERT INTO status_history (group_id, at, from_status, from_substatus, to_status, to_substatus, cause, actor, detail)
            VALUES (?, ?, ?, ?, ?, ?, ?, \(recorded.sql), NULL)
            """, [id, now.databaseValue, from.status.rawValue.databaseValue, from.substatus?.rawValue.databaseValue ?? .null,
                  to.status.rawValue.databaseValue, substatus, cause.rawValue.databaseValue] + recorded.values)
    }
}
