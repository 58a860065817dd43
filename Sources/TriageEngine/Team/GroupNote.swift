import GRDB

/// A note someone left on a group: a handoff, what was tried, who to ask.
public struct GroupNote: Sendable, Equatable, FetchableRecord {
    public let groupID: Int64
    public let at: Double
    public let author: String
    public let text: String

    public init(groupID: Int64, at: Double, author: String, text: String) {
        self.groupID = groupID
        self.at = at
        self.author = author
        self.text = text
    }

    /// Total over damaged rows, like `Group.init(row:)`.
    public init(row: Row) {
        self.init(groupID: row.lenient("group_id") ?? 0, at: row.lenient("at") ?? 0, author: row.lenient("author") ?? "",
                  text: row.lenient("text") ?? "")
    }

    static func all(_ db: Database, groupID: Int64) throws -> [GroupNote] {
        try GroupNote.fetchAll(db, sql: "SELECT * FROM group_notes WHERE group_id = ? ORDER BY id", arguments: [groupID])
    }

    func insert(_ db: Database) throws {
        try db.execute(sql: "INSERT INTO group_notes (group_id, at, author, text) VALUES (?, ?, ?, ?)",
                       arguments: [groupID, at, author, text])
    }
}
