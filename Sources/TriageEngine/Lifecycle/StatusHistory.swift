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
}

/// One entry of a group's status history.
public struct StatusHistoryEntry: Sendable, Equatable, FetchableRecord {
    public let at: Double
    public let from: GroupState?
    public let to: GroupState
    public let cause: String
    public let actor: String?

    public init(row: Row) {
        at = row["at"]
        from = (row["from_status"] as Int?).flatMap(GroupStatus.init(rawValue:)).flatMap {
            GroupState(status: $0, substatus: (row["from_substatus"] as Int?).flatMap(GroupSubstatus.init(rawValue:)))
        }
        to = GroupState(status: GroupStatus(rawValue: row["to_status"]) ?? .unresolved,
                        substatus: (row["to_substatus"] as Int?).flatMap(GroupSubstatus.init(rawValue:))) ?? .ongoing
        cause = row["cause"]
        actor = row["actor"]
    }
}

enum StatusHistory {
    static func record(_ db: Database, groupID: Int64, from: GroupState?, to: GroupState, cause: TransitionCause,
                       actor: String?, at: Double) throws {
        try db.execute(sql: """
            INSERT INTO status_history (group_id, at, from_status, from_substatus, to_status, to_substatus, cause, actor)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [groupID, at, from?.status.rawValue, from?.substatus?.rawValue, to.status.rawValue,
                             to.substatus?.rawValue, cause.rawValue, actor])
    }

    static func entries(_ db: Database, groupID: Int64) throws -> [StatusHistoryEntry] {
        try StatusHistoryEntry.fetchAll(db, sql: "SELECT * FROM status_history WHERE group_id = ? ORDER BY at, id", arguments: [groupID])
    }
}

/// Reading and writing just a group's state.
enum GroupStateRow {
    static func fetch(_ db: Database, groupID: Int64) throws -> GroupState {
        let row = try Row.fetchOne(db, sql: "SELECT status, substatus FROM groups WHERE id = ?", arguments: [groupID])!
        let status = GroupStatus(rawValue: row[0]) ?? .unresolved
        return GroupState(status: status, substatus: (row[1] as Int?).flatMap(GroupSubstatus.init(rawValue:))) ?? .ongoing
    }

    static func update(_ db: Database, groupID: Int64, to state: GroupState) throws {
        try db.execute(sql: "UPDATE groups SET status = ?, substatus = ? WHERE id = ?",
                       arguments: [state.status.rawValue, state.substatus?.rawValue, groupID])
    }
}
