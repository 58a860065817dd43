import GRDB

/// An ignore condition with what was counted when the group was ignored.
struct IgnoreSnapshot {
    let condition: IgnoreCondition
    let ignoredAt: Double
    let timesSeenAtIgnore: Int
    /// The newest occurrence sequence number at that moment: later rows are "since ignoring".
    let seqAtIgnore: Int64
}

/// Spec §5, ignore until a condition: which count or user condition a group has tripped, if any. Time
/// conditions lapse on the rule clock instead (`LifecycleRules`).
enum IgnoreConditionCheck {
    /// `reference` is the newest detection time the group has seen: windows end there, so a replayed
    /// spool behaves as it did live.
    static func trippedCondition(_ db: Database, groupID: Int64, timesSeen: Int, snapshot: IgnoreSnapshot, reference: Double) throws -> String? {
        let condition = snapshot.condition
        if let count = condition.count {
            let seen: Int
            if let window = condition.countWindow {
                seen = try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM occurrences WHERE group_id = ? AND seq > ? AND detection_time > ?
                    """, arguments: [groupID, snapshot.seqAtIgnore, reference - window]) ?? 0
            } else {
                seen = timesSeen - snapshot.timesSeenAtIgnore
            }
            if seen >= count { return "\(seen) occurrences\(condition.countWindow.map { " within \(DurationText.format($0))" } ?? "") since ignored (limit \(count))" }
        }
        if let users = condition.users {
            let seen: Int
            if let window = condition.userWindow {
                seen = try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM group_users WHERE group_id = ? AND last_seq > ? AND last_seen > ?
                    """, arguments: [groupID, snapshot.seqAtIgnore, reference - window]) ?? 0
            } else {
                seen = try Int.fetchOne(db, sql: "SELECT count(*) FROM group_users WHERE group_id = ? AND first_seq > ?",
                                        arguments: [groupID, snapshot.seqAtIgnore]) ?? 0
            }
            if seen >= users { return "\(seen) users\(condition.userWindow.map { " within \(DurationText.format($0))" } ?? "") since ignored (limit \(users))" }
        }
        return nil
    }
}
