import GRDB

/// Assignment and notes (`IssueStore`'s contract says what each promises).
extension SQLiteStore {
    @discardableResult
    public func assign(_ groupIDs: [Int64], to assignee: String?, actor: String) throws -> [AssignmentChange] {
        let name = try assignee.map(AssigneeName.validate)
        let now = clock.now()
        return try write { db in
            let current = try db.cachedStatement(sql: "SELECT assignee FROM groups WHERE id = ?")
            return try groupIDs.map { groupID in
                guard let row = try Row.fetchOne(current, arguments: [groupID]) else { throw StoreError.groupNotFound(String(groupID)) }
                let change = AssignmentChange(groupID: groupID, at: now, actor: actor, from: row.lenient(0), to: name)
                guard change.changed else { return change }
                try db.execute(sql: "UPDATE groups SET assignee = ? WHERE id = ?", arguments: [name, groupID])
                try change.insert(db)
                try NotificationOutbox.record(db, groupID: groupID, reason: .assigned, at: now,
                                              detail: AssignmentChange.noticeDetail(to: name, by: actor))
                return change
            }
        }
    }

    @discardableResult
    public func addNote(_ text: String, to groupID: Int64, author: String) throws -> GroupNote {
        let note = GroupNote(groupID: groupID, at: clock.now(), author: author, text: try NoteText.validate(text))
        return try write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM groups WHERE id = ?", arguments: [groupID]) != nil else {
                throw StoreError.groupNotFound(String(groupID))
            }
            try note.insert(db)
            return note
        }
    }

    /// A seek per project on the (project_id, fingerprint) index, not a walk over every group.
    public func projectIDs(limit: Int) throws -> [Int64] {
        try read { db in
            try Int64.fetchAll(db, sql: """
                WITH RECURSIVE projects(id) AS (
                    SELECT min(project_id) FROM groups
                    UNION ALL SELECT (SELECT min(project_id) FROM groups WHERE project_id > projects.id) FROM projects WHERE projects.id IS NOT NULL
                ) SELECT id FROM projects WHERE id IS NOT NULL LIMIT ?
                """, arguments: [max(0, limit)])
        }
    }

    public func assignees(limit: Int) throws -> [String] {
        try read { db in
            try String.fetchAll(db, sql: """
                SELECT name FROM (
                    SELECT assignee AS name FROM groups WHERE assignee IS NOT NULL
                    UNION ALL SELECT to_assignee FROM group_assignments WHERE to_assignee IS NOT NULL
                ) GROUP BY name ORDER BY count(*) DESC, name LIMIT ?
                """, arguments: [max(0, limit)])
        }
    }
}
