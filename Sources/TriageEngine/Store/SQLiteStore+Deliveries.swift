import GRDB

/// The outbox on SQLite: one process delivers at a time (its writer's lock orders the rest), so a
/// claim is a read.
extension SQLiteStore: NotificationDeliveries {
    public func registerNotifiers(_ names: [String]) throws {
        guard !names.isEmpty else { return }
        let known = Set(try read { db in try String.fetchAll(db, sql: "SELECT name FROM notifiers") })
        let new = names.filter { !known.contains($0) }
        guard !new.isEmpty else { return }
        try write { db in
            for name in new {
                try db.execute(sql: "INSERT OR IGNORE INTO notifiers (name, after_id) VALUES (?, (SELECT coalesce(max(id), 0) FROM notifications))",
                               arguments: [name])
            }
        }
    }

    public func claimDue(for notifier: String, now: Double, leaseUntil: Double, limit: Int) throws -> [DueNotification] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT n.id, n.group_id, n.reason, n.at, n.detail, coalesce(d.attempts, 0) AS attempts
                FROM notifications n
                JOIN notifiers r ON r.name = ?1
                LEFT JOIN notification_deliveries d ON d.notification_id = n.id AND d.notifier = ?1
                WHERE n.id > r.after_id AND d.delivered_at IS NULL AND coalesce(d.next_attempt_at, 0) <= ?2
                ORDER BY n.id LIMIT ?3
                """, arguments: [notifier, now, limit]).map { row in
                DueNotification(notification: TriageNotification(id: row["id"], groupID: row["group_id"],
                                                                  reason: NotificationReason(rawValue: row["reason"]) ?? .newGroup,
                                                                  at: row["at"], detail: row["detail"]),
                                attempts: row["attempts"])
            }
        }
    }

    /// A claim here leases nothing.
    public func releaseClaims(_ notificationIDs: [Int64], for notifier: String, now: Double) throws {}

    public func recordAttempt(_ notificationID: Int64, notifier: String, attempts: Int, deliveredAt: Double?, error: String?, retryAt: Double) throws {
        try write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO notification_deliveries (notification_id, notifier, attempts, next_attempt_at, delivered_at, last_error)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [notificationID, notifier, attempts, retryAt, deliveredAt, error])
        }
    }

    public func nextRetry(for notifiers: [String]) throws -> Double? {
        guard !notifiers.isEmpty else { return nil }
        return try read { db in
            try Double.fetchOne(db, sql: """
                SELECT min(next_attempt_at) FROM notification_deliveries
                WHERE delivered_at IS NULL AND notifier IN (\(databaseQuestionMarks(count: notifiers.count)))
                """, arguments: StatementArguments(notifiers))
        }
    }
}
