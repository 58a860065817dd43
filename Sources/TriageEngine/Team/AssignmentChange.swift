import GRDB

/// A group's assignee before and after someone assigned it (nil: nobody).
public struct AssignmentChange: Sendable, Equatable, FetchableRecord {
    public let groupID: Int64
    public let at: Double
    public let actor: String
    public let from: String?
    public let to: String?

    public init(groupID: Int64, at: Double, actor: String, from: String?, to: String?) {
        self.groupID = groupID
        self.at = at
        self.actor = actor
        self.from = from
        self.to = to
    }

    /// Total over damaged rows, like `Group.init(row:)`.
    public init(row: Row) {
        self.init(groupID: row.lenient("group_id") ?? 0, at: row.lenient("at") ?? 0, actor: row.lenient("actor") ?? "",
                  from: row.lenient("from_assignee"), to: row.lenient("to_assignee"))
    }

    /// False when the group already had this assignee: nothing was recorded.
    public var changed: Bool { from != to }

    /// "alice", "nobody": how an assignee reads in history and messages (a name stored with Sentry's
    /// `user:` or `team:` before names were kept without it reads without it too).
    public static func name(_ assignee: String?) -> String { assignee.map(AssigneeName.canonical) ?? "nobody" }

    /// The `assigned` notification's detail: "assigned to alice by bob".
    static func noticeDetail(to assignee: String?, by actor: String) -> String { "assigned to \(name(assignee)) by \(actor)" }

    /// Who an `assigned` notification's detail names: the assignee (nil: nobody) and who assigned
    /// (an actor is a role or login name, so the last " by " ends the assignee's name).
    public static func parties(ofNotice detail: String?) -> (to: String?, by: String)? {
        let prefix = "assigned to "
        guard let detail, detail.hasPrefix(prefix), let by = detail.range(of: " by ", options: .backwards),
              by.lowerBound >= detail.index(detail.startIndex, offsetBy: prefix.count) else { return nil }
        let to = String(detail[detail.index(detail.startIndex, offsetBy: prefix.count)..<by.lowerBound])
        return (to == name(nil) ? nil : to, String(detail[by.upperBound...]))
    }

    static func all(_ db: Database, groupID: Int64) throws -> [AssignmentChange] {
        try AssignmentChange.fetchAll(db, sql: "SELECT * FROM group_assignments WHERE group_id = ? ORDER BY id", arguments: [groupID])
    }

    func insert(_ db: Database) throws {
        try db.execute(sql: "INSERT INTO group_assignments (group_id, at, actor, from_assignee, to_assignee) VALUES (?, ?, ?, ?, ?)",
                       arguments: [groupID, at, actor, from, to])
    }
}
