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

    /// As SQLite's; the rows read are locked (`FOR UPDATE`), so two people setting one group's
    /// priority at once record two changes, the second from the first's priority.
    @discardableResult
    public func setPriority(_ priority: Int?, of groupIDs: [Int64], actor: String) throws -> [PriorityChange] {
        let now = clock.now()
        let recorded = recordedActor(actor)
        return try session.transaction { transaction in
            let recordedName = try self.recordedName(recorded, given: actor, in: transaction)
            return try groupIDs.map { groupID in
                let id = groupID.databaseValue
                guard let row = try transaction.query("SELECT priority, priority_locked FROM groups WHERE id = ? FOR UPDATE", [id]).first else {
                    throw StoreError.groupNotFound(String(groupID))
                }
                let from = PriorityChange.current(priority: row.get("priority") ?? Priority.medium, locked: row.get("priority_locked") ?? false)
                let change = PriorityChange(groupID: groupID, at: now, actor: recordedName, from: from, to: priority)
                guard change.changed else { return change }
                if let priority {
                    try transaction.query("UPDATE groups SET priority = ?, priority_locked = true WHERE id = ?", [priority.databaseValue, id])
                } else {
                    try transaction.query("UPDATE groups SET priority_locked = false WHERE id = ?", [id])
                }
                try transaction.query("INSERT INTO group_priorities (group_id, at, actor, from_priority, to_priority) VALUES (?, ?, \(recorded.sql), ?, ?)",
                                      [id, now.databaseValue] + recorded.values + [from.databaseValue, priority.databaseValue])
                return change
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

    /// `GroupTransition.apply` in PostgreSQL (`PostgresTransitions`), in the action's transaction.
    private func transition(_ transaction: PostgresSession.Transaction, groupID: Int64, from: GroupState, to: GroupState,
                            cause: TransitionCause, actor: String?, condition: (condition: IgnoreCondition, timesSeen: Int)?,
                            at now: Double) throws {
        try PostgresTransitions.write(transaction.query, groupID: groupID, from: from, to: to, cause: cause,
                                      actor: recordedActor(actor), detail: nil, condition: condition, at: now)
    }
}
