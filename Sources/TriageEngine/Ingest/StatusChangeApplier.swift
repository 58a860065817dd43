/// Spec §3's status-change payloads: the group takes the state the payload names, through
/// `GroupTransition` (cause `payload`), unless it is in that state already or its type forbids it.
struct StatusChangeApplier {
    let session: any IngestSession
    let registry: GroupTypeRegistry

    /// The group's own pending occurrences must have been written first (`IngestWriter.apply`).
    func apply(_ change: StatusChange, to group: CachedGroup, at now: Double) throws -> StatusChangeOutcome {
        let current = try session.groupState(group.id)
        guard current != change.newState else { return .unchanged }
        if change.newState.substatus == .untilEscalating, let type = registry.type(id: group.typeID), !type.enableEscalationDetection {
            return .rejected(.disallowedStatus(field: "new_substatus", reason: "type \(type.slug) has no escalation detection, so it cannot be ignored until escalating"))
        }
        try session.apply(GroupTransition(groupID: group.id, from: current, to: change.newState, cause: .payload), at: now)
        return .changed
    }
}
