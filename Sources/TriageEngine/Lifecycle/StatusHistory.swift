import GRDB

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
public struct StatusHistoryEntry: Sendable, Equatable, FetchableRecord {
    public let at: Double
    public let from: GroupState?
    public let to: GroupState
    public let cause: String
    public let actor: String?
    /// Why a rule fired, in words ("14 occurrences since ignored (limit 10)"); nil for most entries.
    public let detail: String?

    /// Total over damaged rows, like `Group.init(row:)`: history must show whatever the store holds.
    public init(row: Row) {
        at = row.lenient("at") ?? 0
        from = row.lenient("from_status").flatMap(GroupStatus.init(rawValue:)).flatMap {
            GroupState(status: $0, substatus: row.lenient("from_substatus").flatMap(GroupSubstatus.init(rawValue:)))
        }
        to = GroupState(status: row.lenient("to_status").flatMap(GroupStatus.init(rawValue:)) ?? .unresolved,
                        substatus: row.lenient("to_substatus").flatMap(GroupSubstatus.init(rawValue:))) ?? .ongoing
        cause = row.lenient("cause") ?? "unknown"
        actor = row.lenient("actor")
        detail = row.lenient("detail")
    }
}

enum StatusHistory {
    static let insertSQL = """
        INSERT INTO status_history (group_id, at, from_status, from_substatus, to_status, to_substatus, cause, actor, detail)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
        """

    static func record(_ db: Database, groupID: Int64, from: GroupState?, to: GroupState, cause: TransitionCause,
                       actor: String?, at: Double, detail: String? = nil) throws {
        // Cached: every new group records one, so ingest would otherwise prepare it thousands of times.
        try db.cachedStatement(sql: insertSQL).execute(arguments: [groupID, at, from?.status.rawValue, from?.substatus?.rawValue,
                                                                   to.status.rawValue, to.substatus?.rawValue, cause.rawValue, actor, detail])
    }

    static func entries(_ db: Database, groupID: Int64) throws -> [StatusHistoryEntry] {
        try StatusHistoryEntry.fetchAll(db, sql: "SELECT * FROM status_history WHERE group_id = ? ORDER BY id", arguments: [groupID])
    }
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
    /// `GroupTransition` calls it: a state never changes without its history entry.
    static func update(_ db: Database, groupID: Int64, to state: GroupState, at: Double) throws {
        let restartsClock = GroupTransition.restartsOngoingClock(state)
        try db.cachedStatement(sql: "UPDATE groups SET status = ?, substatus = ?, substatus_since = CASE WHEN ? THEN ? ELSE substatus_since END WHERE id = ?")
            .execute(arguments: [state.status.rawValue, state.substatus?.rawValue, restartsClock, at, groupID])
    }
}
