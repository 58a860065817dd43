/// The one rule for moving a group from one state to another, whoever asks (a user, an undo, a
/// status-change payload, a rule, a new occurrence): set the state (entering NEW, REGRESSED or
/// ESCALATING restarts the "ongoing after 7 days" clock), set or clear its ignore condition, and
/// record the history entry with its cause.
///
/// A plain value: each store writes it in one go (`SQLiteTransitions` for SQLite), so the rules that
/// produce transitions never learn which store keeps them.
package struct GroupTransition {
    package let groupID: Int64
    package let from: GroupState
    package let to: GroupState
    package let cause: TransitionCause
    package var actor: String?
    package var detail: String?
    /// The condition an IGNORED/UNTIL_CONDITION_MET target keeps (with the group's count at that
    /// moment); nil clears any condition the group had.
    package var ignoreCondition: (condition: IgnoreCondition, timesSeen: Int)?

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

    /// Whether entering `state` restarts the clock after which NEW, REGRESSED and ESCALATING become ONGOING.
    static func restartsOngoingClock(_ state: GroupState) -> Bool {
        [.new, .regressed, .escalating].contains(state.substatus)
    }
}

extension GroupState {
    /// `GroupTransition.restartsOngoingClock`, for the team store's transitions.
    package var restartsOngoingClock: Bool { GroupTransition.restartsOngoingClock(self) }
}
