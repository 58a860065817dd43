import GRDB

/// Why post-processing notifies (spec §6).
public enum NotificationReason: String, Sendable, CaseIterable {
    case newGroup = "new_group"
    case regression
    case escalation
    /// Only when `[notifications] resolved = true`.
    case resolved
    /// Someone changed the group's assignee (to nobody, too): the group object says who has it now.
    case assigned
}

/// One notification as stored in the outbox.
public struct TriageNotification: Sendable, Equatable {
    public let id: Int64
    public let groupID: Int64
    public let reason: NotificationReason
    public let at: Double
    public let detail: String?

    package init(id: Int64, groupID: Int64, reason: NotificationReason, at: Double, detail: String?) {
        self.id = id
        self.groupID = groupID
        self.reason = reason
        self.at = at
        self.detail = detail
    }
}

enum NotificationOutbox {
    static let insertSQL = "INSERT INTO notifications (group_id, reason, at, detail) VALUES (?1, ?2, ?3, ?4)"

    static func record(_ db: Database, groupID: Int64, reason: NotificationReason, at: Double, detail: String? = nil) throws {
        try db.cachedStatement(sql: insertSQL)
            .execute(arguments: [groupID, reason.rawValue, at, detail])
    }
}
