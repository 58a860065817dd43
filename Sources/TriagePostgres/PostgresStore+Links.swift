import Foundation
import GRDB
import TriageEngine

/// Issue-tracker links and their claims, with `SQLiteStore+Links`'s rules. The group's row is locked
/// first, so two people filing a ticket for one group at once make one claim.
extension PostgresStore {
    public func addLink(_ link: GroupLink) throws {
        try session.transaction { transaction in
            if let existing = try existingLink(transaction, groupID: link.groupID, tracker: link.tracker), !existing.isClaim {
                throw StoreError.alreadyLinked(groupID: link.groupID, tracker: link.tracker, externalID: existing.externalID)
            }
            try transaction.query("DELETE FROM group_links WHERE group_id = ? AND tracker = ?",
                                  [link.groupID.databaseValue, link.tracker.databaseValue])
            try insert(link, transaction)
        }
    }

    public func claimLink(_ claim: GroupLink) throws {
        precondition(claim.isClaim, "a claim has no external id yet")
        try session.transaction { transaction in
            if let existing = try existingLink(transaction, groupID: claim.groupID, tracker: claim.tracker) {
                throw existing.isClaim
                    ? StoreError.linkClaimed(groupID: claim.groupID, tracker: claim.tracker, by: existing.linkedBy, at: existing.linkedAt)
                    : StoreError.alreadyLinked(groupID: claim.groupID, tracker: claim.tracker, externalID: existing.externalID)
            }
            try insert(claim, transaction)
        }
    }

    public func completeClaim(_ claim: GroupLink, with link: GroupLink) throws {
        let updated = try session.query("""
            UPDATE group_links SET external_id = ?, url = ?, title = ?, linked_at = ?
            WHERE group_id = ? AND tracker = ? AND external_id = '' AND linked_by = ? AND linked_at = ? RETURNING group_id
            """, [link.externalID.databaseValue, link.url?.databaseValue ?? .null, link.title?.databaseValue ?? .null,
                  link.linkedAt.databaseValue, claim.groupID.databaseValue, claim.tracker.databaseValue,
                  claim.linkedBy.databaseValue, claim.linkedAt.databaseValue])
        if updated.isEmpty { throw StoreError.claimLost(groupID: claim.groupID, tracker: claim.tracker, externalID: link.externalID) }
    }

    public func releaseClaim(_ claim: GroupLink) throws {
        try session.query("""
            DELETE FROM group_links WHERE group_id = ? AND tracker = ? AND external_id = '' AND linked_by = ? AND linked_at = ?
            """, [claim.groupID.databaseValue, claim.tracker.databaseValue, claim.linkedBy.databaseValue, claim.linkedAt.databaseValue])
    }

    @discardableResult
    public func removeLink(groupID: Int64, tracker: String) throws -> GroupLink {
        guard let removed = try session.query("DELETE FROM group_links WHERE group_id = ? AND tracker = ? RETURNING *",
                                              [groupID.databaseValue, tracker.databaseValue]).first
        else { throw StoreError.notLinked(groupID: groupID, tracker: tracker) }
        return GroupLink(row: removed.row)
    }

    private func existingLink(_ transaction: PostgresSession.Transaction, groupID: Int64, tracker: String) throws -> GroupLink? {
        guard try !transaction.query("SELECT id FROM groups WHERE id = ? FOR UPDATE", [groupID.databaseValue]).isEmpty else {
            throw StoreError.groupNotFound(String(groupID))
        }
        return try transaction.query("SELECT * FROM group_links WHERE group_id = ? AND tracker = ?",
                                     [groupID.databaseValue, tracker.databaseValue]).first.map { GroupLink(row: $0.row) }
    }

    private func insert(_ link: GroupLink, _ transaction: PostgresSession.Transaction) throws(PostgresFailure) {
        try transaction.query("""
            INSERT INTO group_links (group_id, tracker, external_id, url, title, linked_by, linked_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [link.groupID.databaseValue, link.tracker.databaseValue, link.externalID.databaseValue, link.url?.databaseValue ?? .null,
                  link.title?.databaseValue ?? .null, link.linkedBy.databaseValue, link.linkedAt.databaseValue])
    }
}
