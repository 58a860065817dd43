import GRDB
import PostgresNIO
import TriageEngine

/// The outbox on the team store, where every ingester runs a courier: a claim is an upsert of the
/// delivery row that sets its lease, and the row lock it takes makes a second courier's claim wait,
/// then find the lease and skip the notification, so each goes out once.
extension PostgresStore: NotificationDeliveries {
    public func registerNotifiers(_ names: [String]) throws {
        for name in names {
            try session.query("""
                INSERT INTO notifiers (name, after_id) VALUES (?, (SELECT coalesce(max(id), 0) FROM notifications))
                ON CONFLICT (name) DO NOTHING
                """, [name.databaseValue])
        }
    }

    public func claimDue(for notifier: String, now: Double, leaseUntil: Double, limit: Int) throws -> [DueNotification] {
        let claimed = try session.query("""
            WITH due AS (
                SELECT n.id FROM notifications n
                JOIN notifiers r ON r.name = ?
                LEFT JOIN notification_deliveries d ON d.notification_id = n.id AND d.notifier = r.name
                WHERE n.id > r.after_id AND d.delivered_at IS NULL AND coalesce(d.next_attempt_at, 0) <= ?
                ORDER BY n.id LIMIT ?
            )
            INSERT INTO notification_deliveries (notification_id, notifier, attempts, next_attempt_at)
            SELECT id, ?, 0, ? FROM due ORDER BY id
            ON CONFLICT (notification_id, notifier) DO UPDATE SET next_attempt_at = excluded.next_attempt_at
                WHERE notification_deliveries.delivered_at IS NULL AND notification_deliveries.next_attempt_at <= ?
            RETURNING notification_id, attempts
            """, [notifier.databaseValue, now.databaseValue, limit.databaseValue, notifier.databaseValue, leaseUntil.databaseValue,
                  now.databaseValue])
        let attempts = Dictionary(claimed.map { (($0.get("notification_id") as Int64?) ?? 0, ($0.get("attempts") as Int64?) ?? 0) },
                                  uniquingKeysWith: { first, _ in first })
        guard !attempts.isEmpty else { return [] }
        var ids = PostgresBindings(capacity: 1)
        ids.append(Array(attempts.keys))
        return try session.query(numbered: "SELECT id, group_id, reason, at, detail FROM notifications WHERE id = ANY($1) ORDER BY id", ids)
            .map { row in
            let id: Int64 = row.get("id") ?? 0
            return DueNotification(notification: TriageNotification(id: id, groupID: row.get("group_id") ?? 0,
                                                                     reason: row.get("reason").flatMap(NotificationReason.init(rawValue:)) ?? .newGroup,
                                                                     at: row.get("at") ?? 0, detail: row.get("detail")),
                                   attempts: Int(attempts[id] ?? 0))
        }
    }

    /// A lease with no attempt behind it goes (as if never claimed); one on a notification tried
    /// before is due now, as it was when claimed.
    public func releaseClaims(_ notificationIDs: [Int64], for notifier: String, now: Double) throws {
        guard !notificationIDs.isEmpty else { return }
        var bindings = PostgresBindings(capacity: 3)
        bindings.append(notificationIDs)
        bindings.append(notifier)
        bindings.append(now)
        try session.query(numbered: """
            WITH released AS (
                DELETE FROM notification_deliveries
                WHERE notification_id = ANY($1) AND notifier = $2 AND attempts = 0 AND delivered_at IS NULL
            )
            UPDATE notification_deliveries SET next_attempt_at = $3
            WHERE notification_id = ANY($1) AND notifier = $2 AND attempts > 0 AND delivered_at IS NULL
            """, bindings)
    }

    public func recordAttempt(_ notificationID: Int64, notifier: String, attempts: Int, deliveredAt: Double?, error: String?, retryAt: Double) throws {
        try session.query("""
            INSERT INTO notification_deliveries (notification_id, notifier, attempts, next_attempt_at, delivered_at, last_error)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (notification_id, notifier) DO UPDATE SET attempts = excluded.attempts, next_attempt_at = excluded.next_attempt_at,
                delivered_at = excluded.delivered_at, last_error = excluded.last_error
            """, [notificationID.databaseValue, notifier.databaseValue, attempts.databaseValue, retryAt.databaseValue,
                  deliveredAt?.databaseValue ?? .null, error?.databaseValue ?? .null])
    }

    public func nextRetry(for notifiers: [String]) throws -> Double? {
        guard !notifiers.isEmpty else { return nil }
        // Leases count too: when a courier that died holds one, another takes its notifications over.
        var names = PostgresBindings(capacity: 1)
        names.append(notifiers)
        return try session.query(numbered: """
            SELECT min(next_attempt_at) AS at FROM notification_deliveries WHERE delivered_at IS NULL AND notifier = ANY($1)
            """, names).first?.get("at")
    }
}
