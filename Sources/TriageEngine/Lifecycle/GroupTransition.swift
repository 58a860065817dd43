import GRDB

/// The one rule for moving a group from one state to another, whoever asks (a user, an undo, a
/// status-change payload, a rule, a new occurrence): set the state (entering NEW, REGRESSED or
/// ESCALATING restarts the "ongoing after 7 days" clock), set or clear its ignore condition, and
/// record the history entry with its cause.
///
/// The ingest writer's regression keeps a raw-bound statement for speed; it is built here, from the
/// same clock rule (`regressStatement`), so the two cannot drift.
struct GroupTransition {
    let groupID: Int64
    let from: GroupState
    let to: GroupState
    let cause: TransitionCause
    var actor: String?
    var detail: String?
    /// The condition an IGNORED/UNTIL_CONDITION_MET target keeps (with the group's count at that
    /// moment); nil clears any condition the group had.
    var ignoreCondition: (condition: IgnoreCondition, timesSeen: Int)?

    init(groupID: Int64, from: GroupState, to: GroupState, cause: TransitionCause, actor: String? = nil, detail: String? = nil,
         ignoreCondition: (condition: IgnoreCondition, timesSeen: Int)? = nil) {
        self.groupID = groupID
        self.from = from
        self.to = to
        self.cause = cause
        self.actor = actor
        self.detail = detail
        self.ignoreCondition = ignoreCondition
    }

    func apply(_ db: Database, at now: Double) throws {
        try GroupStateRow.update(db, groupID: groupID, to: to, at: now)
        if let ignoreCondition {
            try IgnoreConditionRow.save(db, groupID: groupID, condition: ignoreCondition.condition, timesSeen: ignoreCondition.timesSeen, at: now)
        } else {
            try IgnoreConditionRow.delete(db, groupID: groupID)
        }
        try StatusHistory.record(db, groupID: groupID, from: from, to: to, cause: cause, actor: actor, at: now, detail: detail)
    }

    /// Whether entering `state` restarts the clock after which NEW, REGRESSED and ESCALATING become ONGOING.
    static func restartsOngoingClock(_ state: GroupState) -> Bool {
        [.new, .regressed, .escalating].contains(state.substatus)
    }

    /// RESOLVED → UNRESOLVED/REGRESSED for a group a new occurrence reached (?1 the group, ?2 now),
    /// changing nothing if the group is no longer resolved; the writer records the history itself.
    static let regressStatement = """
        UPDATE groups SET status = \(GroupStatus.unresolved.rawValue), substatus = \(GroupSubstatus.regressed.rawValue),
            substatus_since = \(restartsOngoingClock(.regressed) ? "?2" : "substatus_since")
        WHERE id = ?1 AND status = \(GroupStatus.resolved.rawValue)
        """
}

extension GroupState {
    /// `GroupTransition.restartsOngoingClock`, for the team store's transitions.
    package var restartsOngoingClock: Bool { GroupTransition.restartsOngoingClock(self) }
}
