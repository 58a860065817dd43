/// Why a group's state changed; stored as text in `status_history.cause`.
public enum TransitionCause: String, Sendable, Codable {
    case newGroup = "occurrence:new_group"
    case regression = "rule:regression"
    case payload
    case user
    /// A user took back their previous change (the TUI's undo).
    case undo
    case autoResolve = "rule:auto_resolve"
    case ongoing = "rule:ongoing"
    case escalating = "rule:escalating"
    /// An ignore-until-time condition lapsed.
    case ignoreLapsed = "rule:ignore_lapsed"
}

/// One entry of a group's status history.
public struct StatusHistoryEntry: Sendable, Equatable {
    public let at: Double
    public let from: GroupState?
    public let to: GroupState
    public let cause: String
    public let actor: String?
    /// Why a rule fired, in words ("14 occurrences since ignored (limit 10)"); nil for most entries.
    public let detail: String?

    public init(at: Double, from: GroupState?, to: GroupState, cause: String, actor: String?, detail: String?) {
        self.at = at
        self.from = from
        self.to = to
        self.cause = cause
        self.actor = actor
        self.detail = detail
    }
}
