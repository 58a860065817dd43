/// What the time-based rules (`LifecycleRules`) ask of whichever store holds the groups: the groups
/// each rule finds due, a place to record the transitions the rules decide, and the housekeeping the
/// rule clock does. The rules decide; an implementation only reads and writes, in one transaction.
package protocol LifecycleStore: IgnoreConditionCounts {
    /// IGNORED/UNTIL_CONDITION_MET groups whose condition's time is at or before `now`, with that time
    /// (nil where the stored value is unreadable).
    func groupsIgnoredUntil(atOrBefore now: Double) throws -> [(groupID: Int64, until: Double?)]
    /// UNRESOLVED groups in NEW, REGRESSED or ESCALATING whose ongoing clock (set when they entered it,
    /// or at first seen) started at or before `cutoff`, with their substatus (nil where unreadable).
    func groupsOngoingDue(clockStartedBy cutoff: Double) throws -> [(groupID: Int64, substatus: GroupSubstatus?)]
    /// UNRESOLVED groups of `project` of one of `types`, last seen at or before `cutoff`.
    func unresolvedGroups(of project: Int64, types: [Int], lastSeenBy cutoff: Double)
        throws -> [(groupID: Int64, substatus: GroupSubstatus?, lastSeen: Double?)]
    /// Writes the transition (state, ignore condition, history entry) as `GroupTransition` describes it.
    func apply(_ transition: GroupTransition, at now: Double) throws
    func notify(_ groupID: Int64, _ reason: NotificationReason, detail: String?, at now: Double) throws
    /// Forgets notifications made before `notificationsBefore` and hourly counts of hours before `hoursBefore`.
    func prune(notificationsBefore: Double, hoursBefore: Int64) throws
}
