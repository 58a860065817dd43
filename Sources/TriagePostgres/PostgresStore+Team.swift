import GRDB
import TriageEngine

/// Assignment and notes, as `SQLiteStore+Team` does them (`IssueStore` says what each promises). An
/// assignment locks the groups it reads (`FOR UPDATE`), so two engineers assigning one group at once
/// record two changes, the second from the first's assignee.
extension PostgresStore {
    @discardableResult
    public func assign(_ groupIDs: [Int64], to assignee: String?, actor: String) throws -> [AssignmentChange] {
        let name = try assignee.map(AssigneeName.validate)
        let now = clock.now()
        return try session.transaction { transaction in
            try groupIDs.map { groupID in
                let id = groupID.databaseValue
                guard let current = try transaction.query("SELECT assignee FROM groups WHERE id = ? FOR UPDATE", [id]).first else {
                    throw StoreError.groupNotFound(String(groupID))
                }
                let change = AssignmentChange(groupID: groupID, at: now, actor: actor, from: current.get("assignee"), to: name)
                guard change.changed else { return change }
                try transaction.query("UPDATE groups SET assignee = ? WHERE id = ?", [name.databaseValue, id])
                try transaction.query("""
                    INSERT INTO group_assignments (group_id, at, actor, from_assignee, to_assignee) VALUES (?, ?, ?, ?, ?)
                    """, [id, now.databaseValue, actor.databaseValue, change.from.databaseValue, name.databaseValue])
                try transaction.query("INSERT INTO notifications (group_id, reason, at, detail) VALUES (?, ?, ?, ?)",
                                      [id, NotificationReason.assigned.rawValue.databaseValue, now.databaseValue,
                                       "assigned to \(AssignmentChange.name(name)) by \(actor)".databaseValue])
                return change
            }
        }
    }

    @discardableResult
    public func addNote(_ text: String, to groupID: Int64, author: String) throws -> GroupNote {
        let note = GroupNote(groupID: groupID, at: clock.now(), author: author, text: try NoteText.validate(text))
        // The insert's foreign key finds a missing group; reading first names it as SQLite does.
        return try session.transaction { transaction in
            guard try !transaction.query("SELECT 1 AS one FROM groups WHERE id = ?", [groupID.databaseValue]).isEmpty else {
                throw StoreError.groupNotFound(String(groupID))
            }
            try transaction.query("INSERT INTO group_notes (group_id, at, author, text) VALUES (?, ?, ?, ?)",
                                  [groupID.databaseValue, note.at.databaseValue, author.databaseValue, note.text.databaseValue])
            return note
        }
    }

    public func assignees(limit: Int) throws -> [String] {
        try session.query("""
            SELECT name FROM (
                SELECT assignee AS name FROM groups WHERE assignee IS NOT NULL
                UNION ALL SELECT to_assignee FROM group_assignments WHERE to_assignee IS NOT NULL
            ) AS names GROUP BY name ORDER BY count(*) DESC, name LIMIT ?
            """, [max(0, limit).databaseValue]).compactMap { $0.get("name") }
    }
}
