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
        let recorded = recordedActor(actor)
        return try session.transaction { transaction in
            let recordedName = try self.recordedName(recorded, given: actor, in: transaction)
            return try groupIDs.map { groupID in
                let id = groupID.databaseValue
                guard let current = try transaction.query("SELECT assignee FROM groups WHERE id = ? FOR UPDATE", [id]).first else {
                    throw StoreError.groupNotFound(String(groupID))
                }
                let change = AssignmentChange(groupID: groupID, at: now, actor: recordedName, from: current.get("assignee"), to: name)
                guard change.changed else { return change }
                try transaction.query("UPDATE groups SET assignee = ? WHERE id = ?", [name.databaseValue, id])
                try transaction.query("""
                    INSERT INTO group_assignments (group_id, at, actor, from_assignee, to_assignee) VALUES (?, ?, \(recorded.sql), ?, ?)
                    """, [id, now.databaseValue] + recorded.values + [change.from.databaseValue, name.databaseValue])
                try transaction.query("INSERT INTO notifications (group_id, reason, at, detail) VALUES (?, ?, ?, ?::text || \(recorded.sql)::text)",
                                      [id, NotificationReason.assigned.rawValue.databaseValue, now.databaseValue,
                                       "assigned to \(AssignmentChange.name(name)) by ".databaseValue] + recorded.values)
                return change
            }
        }
    }

    @discardableResult
    public func addNote(_ text: String, to groupID: Int64, author: String) throws -> GroupNote {
        let text = try NoteText.validate(text)
        let at = clock.now()
        let recorded = recordedActor(author)
        // The insert's foreign key finds a missing group; reading first names it as SQLite does.
        return try session.transaction { transaction in
            guard try !transaction.query("SELECT 1 AS one FROM groups WHERE id = ?", [groupID.databaseValue]).isEmpty else {
                throw StoreError.groupNotFound(String(groupID))
            }
            let written = try transaction.query("INSERT INTO group_notes (group_id, at, author, text) VALUES (?, ?, \(recorded.sql), ?) RETURNING author",
                                                [groupID.databaseValue, at.databaseValue] + recorded.values + [text.databaseValue])
            return GroupNote(groupID: groupID, at: at, author: written.first?.get("author") ?? author, text: text)
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
