/// An ignore condition with what was counted when the group was ignored.
package struct IgnoreSnapshot {
    package let condition: IgnoreCondition
    package let ignoredAt: Double
    package let timesSeenAtIgnore: Int
    /// The newest occurrence sequence number at that moment: later rows are "since ignoring".
    package let seqAtIgnore: Int64

    package init(condition: IgnoreCondition, ignoredAt: Double, timesSeenAtIgnore: Int, seqAtIgnore: Int64) {
        self.condition = condition
        self.ignoredAt = ignoredAt
        self.timesSeenAtIgnore = timesSeenAtIgnore
        self.seqAtIgnore = seqAtIgnore
    }
}

/// Spec §5, ignore until a condition: which count or user condition a group has tripped, if any. Time
/// conditions lapse on the rule clock instead (`LifecycleRules`).
enum IgnoreConditionCheck {
    /// `reference` is the newest detection time the group has seen: windows end there, so a replayed
    /// spool behaves as it did live.
    static func trippedCondition(_ counts: some IgnoreConditionCounts, groupID: Int64, timesSeen: Int, snapshot: IgnoreSnapshot,
                                 reference: Double) throws -> String? {
        let condition = snapshot.condition
        if let count = condition.count {
            let seen = try condition.countWindow.map { window in
                try counts.occurrences(of: groupID, after: snapshot.seqAtIgnore, detectedAfter: reference - window)
            } ?? (timesSeen - snapshot.timesSeenAtIgnore)
            if seen >= count { return describe(seen, "occurrences", window: condition.countWindow, limit: count) }
        }
        if let users = condition.users {
            let seen = try condition.userWindow.map { window in
                try counts.users(of: groupID, seenAfter: snapshot.seqAtIgnore, lastSeenAfter: reference - window)
            } ?? (try counts.newUsers(of: groupID, after: snapshot.seqAtIgnore))
            if seen >= users { return describe(seen, "users", window: condition.userWindow, limit: users) }
        }
        return nil
    }

    /// `14 occurrences within 1h since ignored (limit 10)`.
    private static func describe(_ seen: Int, _ what: String, window: Double?, limit: Int) -> String {
        "\(seen) \(what)\(window.map { " within \(DurationText.format($0))" } ?? "") since ignored (limit \(limit))"
    }
}

/// What the check counts, from whichever store holds the group.
package protocol IgnoreConditionCounts {
    /// The group's occurrences after sequence number `seq` detected after `time`.
    func occurrences(of groupID: Int64, after seq: Int64, detectedAfter time: Double) throws -> Int
    /// The group's users seen after `seq`, last seen after `time`.
    func users(of groupID: Int64, seenAfter seq: Int64, lastSeenAfter time: Double) throws -> Int
    /// The group's users first seen after `seq`.
    func newUsers(of groupID: Int64, after seq: Int64) throws -> Int
}
