import GRDB

extension SQLiteStore {
    public func links(of groupID: Int64) throws -> [GroupLink] {
        try read { db in try GroupLink.all(db, groupID: groupID) }
    }

    /// Records a link; a group has at most one per tracker, so a second one is refused rather than
    /// silently replacing the ticket someone is working in. A claim whose outcome is unknown is
    /// replaced: naming the ticket is how a person settles it.
    public func addLink(_ link: GroupLink) throws {
        try write { db in
            if let existing = try existingLink(db, groupID: link.groupID, tracker: link.tracker), !existing.isClaim {
                throw StoreError.alreadyLinked(groupID: link.groupID, tracker: link.tracker, externalID: existing.externalID)
            }
            try db.execute(sql: "DELETE FROM group_links WHERE group_id = ? AND tracker = ?", arguments: [link.groupID, link.tracker])
            try insert(link, db)
        }
    }

    /// Claims the group's link to `claim.tracker` before a ticket is filed, so two people filing at
    /// once make one ticket: refused if the group already has a link or a claim there.
    public func claimLink(_ claim: GroupLink) throws {
        precondition(claim.isClaim, "a claim has no external id yet")
        try write { db in
            if let existing = try existingLink(db, groupID: claim.groupID, tracker: claim.tracker) {
                throw existing.isClaim
                    ? StoreError.linkClaimed(groupID: claim.groupID, tracker: claim.tracker, by: existing.linkedBy, at: existing.linkedAt)
                    : StoreError.alreadyLinked(groupID: claim.groupID, tracker: claim.tracker, externalID: existing.externalID)
            }
            try insert(claim, db)
        }
    }

    /// Turns the claim into the link to the ticket filed; throws `claimLost` if the claim was
    /// cleared or replaced meanwhile (the ticket exists, unlinked).
    public func completeClaim(_ claim: GroupLink, with link: GroupLink) throws {
        try write { db in
            try db.execute(sql: """
                UPDATE group_links SET external_id = ?, url = ?, title = ?, linked_at = ?
                WHERE group_id = ? AND tracker = ? AND external_id = '' AND linked_by = ? AND linked_at = ?
                """, arguments: [link.externalID, link.url, link.title, link.linkedAt,
                                  claim.groupID, claim.tracker, claim.linkedBy, claim.linkedAt])
            if db.changesCount == 0 {
                throw StoreError.claimLost(groupID: claim.groupID, tracker: claim.tracker, externalID: link.externalID)
            }
        }
    }

    /// Drops the claim: the tracker refused, so no ticket exists.
    public func releaseClaim(_ claim: GroupLink) throws {
        try write { db in
            try db.execute(sql: """
                DELETE FROM group_links WHERE group_id = ? AND tracker = ? AND external_id = '' AND linked_by = ? AND linked_at = ?
                """, arguments: [claim.groupID, claim.tracker, claim.linkedBy, claim.linkedAt])
        }
    }

    private func existingLink(_ db: Database, groupID: Int64, tracker: String) throws -> GroupLink? {
        guard try Int.fetchOne(db, sql: "SELECT 1 FROM groups WHERE id = ?", arguments: [groupID]) != nil else {
            throw StoreError.groupNotFound(String(groupID))
        }
        return try GroupLink.fetchOne(db, sql: "SELECT * FROM group_links WHERE group_id = ? AND tracker = ?", arguments: [groupID, tracker])
    }

    private func insert(_ link: GroupLink, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO group_links (group_id, tracker, external_id, url, title, linked_by, linked_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [link.groupID, link.tracker, link.externalID, link.url, link.title, link.linkedBy, link.linkedAt])
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
