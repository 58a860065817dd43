import GRDB

/// A group's priority set by hand (locked against newer occurrences) or handed back to them, by whom and when.
public struct PriorityChange: Sendable, Equatable, FetchableRecord {
    public let groupID: Int64
    public let at: Double
    public let actor: String
    /// The priority before and after: a locked level (25, 50, 75), or nil for automatic (occurrences set it).
    public let from: Int?
    public let to: Int?

    public init(groupID: Int64, at: Double, actor: String, from: Int?, to: Int?) {
        self.groupID = groupID
        self.at = at
        self.actor = actor
        self.from = from
        self.to = to
    }

    /// Total over damaged rows, like `Group.init(row:)`.
    public init(row: Row) {
        self.init(groupID: row.lenient("group_id") ?? 0, at: row.lenient("at") ?? 0, actor: row.lenient("actor") ?? "",
                  from: row.lenient("from_priority"), to: row.lenient("to_priority"))
    }

    /// False when the group already had this priority: nothing was recorded.
    public var changed: Bool { from != to }

    /// "high", "medium", "low", or "auto": as `priority` takes it.
    public static func name(_ priority: Int?) -> String { priority.map { PriorityBand($0).rawValue } ?? "auto" }

    /// "priority medium → high", as history shows it.
    public var summary: String { "priority \(Self.name(from)) → \(Self.name(to))" }

    /// The locked level a group's row holds now: nil when occurrences set it.
    public static func current(priority: Int, locked: Bool) -> Int? { locked ? priority : nil }

    static func all(_ db: Database, groupID: Int64) throws -> [PriorityChange] {
        try PriorityChange.fetchAll(db, sql: "SELECT * FROM group_priorities WHERE group_id = ? ORDER BY id", arguments: [groupID])
    }

    func insert(_ db: Database) throws {
        try db.execute(sql: "INSERT INTO group_priorities (group_id, at, actor, from_priority, to_priority) VALUES (?, ?, ?, ?, ?)",
                       arguments: [groupID, at, actor, from, to])
    }
}
