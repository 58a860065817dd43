import GRDB

/// How SQLite writes a `GroupTransition`: the state row, the ignore condition row and the history
/// row, in the caller's transaction.
///
/// The ingest writer's regression keeps a raw-bound statement for speed; it is built here, from the
/// transition's clock rule (`GroupTransition.restartsOngoingClock`), so the two cannot drift.
enum SQLiteTransitions {
    static func apply(_ transition: GroupTransition, _ db: Database, at now: Double) throws {
        try GroupStateRow.update(db, groupID: transition.groupID, to: transition.to, at: now)
        if let kept = transition.ignoreCondition {
            try IgnoreConditionRow.save(db, groupID: transition.groupID, condition: kept.condition, timesSeen: kept.timesSeen, at: now)
        } else {
            try IgnoreConditionRow.delete(db, groupID: transition.groupID)
        }
        try StatusHistoryRow.record(db, groupID: transition.groupID, from: transition.from, to: transition.to, cause: transition.cause,
                                    actor: transition.actor, at: now, detail: transition.detail)
    }

    /// RESOLVED → UNRESOLVED/REGRESSED for a group a new occurrence reached (?1 the group, ?2 now),
    /// changing nothing if the group is no longer resolved; the writer records the history itself.
    static let regressStatement = """
        UPDATE groups SET status = \(GroupStatus.unresolved.rawValue), substatus = \(GroupSubstatus.regressed.rawValue),
            substatus_since = \(GroupTransition.restartsOngoingClock(.regressed) ? "?2" : "substatus_since")
        WHERE id = ?1 AND status = \(GroupStatus.resolved.rawValue)
        """
}

/// Reading and writing just a group's state.
enum GroupStateRow {
    /// Cached statements here and in `update`: a status-change payload runs both.
    static func fetch(_ db: Database, groupID: Int64) throws -> GroupState {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT status, substatus FROM groups WHERE id = ?"), arguments: [groupID]) else {
            throw StoreError.groupNotFound(String(groupID))
        }
        let status = row.lenient(0).flatMap(GroupStatus.init(rawValue:)) ?? .unresolved
        return GroupState(status: status, substatus: row.lenient(1).flatMap(GroupSubstatus.init(rawValue:))) ?? .ongoing
    }

    /// Sets the state, and restarts the ongoing clock where `GroupTransition` says so. Only
    /// `SQLiteTransitions` calls it: a state never changes without its history entry.
    static func update(_ db: Database, groupID: Int64, to state: GroupState, at: Double) throws {
        let restartsClock = GroupTransition.restartsOngoingClock(state)
        try db.cachedStatement(sql: "UPDATE groups SET status = ?, substatus = ?, substatus_since = CASE WHEN ? THEN ? ELSE substatus_since END WHERE id = ?")
            .execute(arguments: [state.status.rawValue, state.substatus?.rawValue, restartsClock, at, groupID])
    }
}
