/// What a user can do to a group's status. Each action declares its target state; the store write,
/// the CLI message (and later the TUI's instant update and undo) all derive from that one declaration.
public enum StatusAction: Sendable, Equatable {
    case resolve
    case reopen
    case ignore(IgnoreMode)

    public var verb: String {
        switch self {
        case .resolve: return "resolve"
        case .reopen: return "reopen"
        case .ignore(.forever): return "ignore forever"
        case .ignore(.untilEscalating): return "ignore until escalating"
        case .ignore(.untilCondition): return "ignore until a condition is met"
        }
    }

    /// The state this action leads to from `current`: nil when the group is already there (nothing
    /// to do), or an error naming why the spec does not allow it.
    public func target(from current: GroupState, type: GroupType?) -> Result<GroupState?, TransitionRefusal> {
        let target: GroupState
        switch self {
        case .resolve: target = .resolved
        case .reopen: target = current.status == .unresolved ? current : .ongoing
        case .ignore(.forever): target = GroupState(status: .ignored, substatus: .forever)!
        case .ignore(.untilEscalating):
            if let type, !type.enableEscalationDetection {
                return .failure(TransitionRefusal(reason: "type \(type.slug) has no escalation detection"))
            }
            target = GroupState(status: .ignored, substatus: .untilEscalating)!
        case .ignore(.untilCondition):
            // A new condition replaces the old one even when the state stays the same.
            return .success(GroupState(status: .ignored, substatus: .untilConditionMet)!)
        }
        return .success(target == current ? nil : target)
    }
}

public enum IgnoreMode: Sendable, Equatable {
    case forever
    case untilEscalating
    case untilCondition(IgnoreCondition)
}

/// What an IGNORED/UNTIL_CONDITION_MET group waits for (spec §5); any one of the set parts lapses it.
public struct IgnoreCondition: Sendable, Equatable {
    /// Unix seconds.
    public var until: Double?
    public var count: Int?
    /// Seconds; with `count`, "N occurrences within this window".
    public var countWindow: Double?
    public var users: Int?
    public var userWindow: Double?

    public init(until: Double? = nil, count: Int? = nil, countWindow: Double? = nil, users: Int? = nil, userWindow: Double? = nil) {
        self.until = until
        self.count = count
        self.countWindow = countWindow
        self.users = users
        self.userWindow = userWindow
    }
}

public struct TransitionRefusal: Error, Equatable, Sendable {
    public let reason: String
}

extension StatusAction {
    /// Where a user's action takes `group` (nil: it is there already), or the refusal as the store
    /// error every store throws, naming the group: one rule for SQLite and the team store.
    public func userTarget(for group: Group, registry: GroupTypeRegistry) throws(StoreError) -> GroupState? {
        switch target(from: group.state, type: registry.type(id: group.typeID)) {
        case let .failure(refusal):
            throw StoreError.illegalTransition(group: group.shortID, from: group.state, to: verb, reason: refusal.reason)
        case let .success(target):
            return target
        }
    }
}
