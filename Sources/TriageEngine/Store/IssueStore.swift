/// What the CLI and the TUI need from a store. SQLite implements it today; the team mode's shared
/// PostgreSQL store will implement the same contract.
public protocol IssueStore: Sendable {
    var registry: GroupTypeRegistry { get }

    /// Groups matching `query`, in `sort` order, a page at a time (`limit` nil means all).
    func groups(matching query: GroupQuery, sort: GroupSort, limit: Int?, offset: Int) throws -> [Group]
    func countGroups(matching query: GroupQuery) throws -> Int
    /// Where a group stands in `sort` order among the groups matching `query` (0-based), or nil if it
    /// does not match. Lets a paged view keep its selection on a group while others arrive.
    func position(of groupID: Int64, matching query: GroupQuery, sort: GroupSort) throws -> Int?
    /// A group by numeric id or short id (`P1-3F`); throws `StoreError.groupNotFound`.
    func group(_ reference: String) throws -> Group
    func details(of groupID: Int64) throws -> GroupDetails
    /// Applies one action to every group, all or nothing; throws `StoreError.illegalTransition`
    /// naming the first group the action does not apply to.
    func apply(_ action: StatusAction, to groupIDs: [Int64], actor: String?) throws -> [TransitionResult]
}

/// A group with what its details view shows.
public struct GroupDetails: Sendable {
    public let group: Group
    /// The newest occurrence's payload exactly as it was received.
    public let latestPayload: [UInt8]?
    public let history: [StatusHistoryEntry]
    public let ignoreCondition: IgnoreCondition?
}

public struct TransitionResult: Sendable, Equatable {
    public let groupID: Int64
    public let from: GroupState
    /// Nil when the group already was in the target state.
    public let to: GroupState?
}
