import GRDB

extension SQLiteStore {
    public func links(of groupID: Int64) throws -> [GroupLink] {
        try read { db in try GroupLink.all(db, groupID: groupID) }
    }

    /// Records a link; a group has at most one per tracker, so a second one is refused rather than
    /// silently replacing the ticket someone is working in.
    public func addLink(_ link: GroupLink) throws {
        try write { db in
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM groups WHERE id = ?", arguments: [link.groupID]) != nil else {
                throw StoreError.groupNotFound(String(link.groupID))
            }
            if let existing = try GroupLink.fetchOne(db, sql: "SELECT * FROM group_links WHERE group_id = ? AND tracker = ?",
                                                     arguments: [link.groupID, link.tracker]) {
                throw StoreError.alreadyLinked(groupID: link.groupID, tracker: link.tracker, externalID: existing.externalID)
            }
            try db.execute(sql: """
                INSERT INTO group_links (group_id, tracker, external_id, url, title, linked_by, linked_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [link.groupID, link.tracker, link.externalID, link.url, link.title, link.linkedBy, link.linkedAt])
        }
    }

    /// Removes the group's link to `tracker` and returns it; throws `notLinked` if there is none.
    @discardableResult
    public func removeLink(groupID: Int64, tracker: String) throws -> GroupLink {
        try write { db in
            guard let link = try GroupLink.fetchOne(db, sql: "SELECT * FROM group_links WHERE group_id = ? AND tracker = ?",
                                                    arguments: [groupID, tracker]) else {
                throw StoreError.notLinked(groupID: groupID, tracker: tracker)
            }
            try db.execute(sql: "DELETE FROM group_links WHERE group_id = ? AND tracker = ?", arguments: [groupID, tracker])
            return link
        }
    }
}
