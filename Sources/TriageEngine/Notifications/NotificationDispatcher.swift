import Foundation
import GRDB
import Logging

/// Delivers the outbox to each configured notifier, after ingest has committed (so a slow or broken
/// notifier never holds up ingest). A delivery that fails is logged and retried later with backoff;
/// the notification stays in the outbox until delivered.
public final class NotificationDispatcher {
    private let store: SQLiteStore
    private let notifiers: [(config: NotifierConfig, transport: any NotificationTransport)]
    private let logger: Logger

    public init(store: SQLiteStore, notifiers: [NotifierConfig], logger: Logger = Logger(label: "triage.notify")) {
        self.store = store
        self.notifiers = notifiers.map { ($0, NotificationTransports.make($0)) }
        self.logger = logger
    }

    public struct Report: Sendable, Equatable {
        public var delivered = 0
        public var failed = 0
    }

    /// Delivers what is due now, at most `limit` per notifier. A notifier's first failure ends its turn
    /// (the next pass tries again), so one that is down costs one timeout per pass, not one per message.
    @discardableResult
    public func deliverDue(limit: Int = 500) throws -> Report {
        var report = Report()
        for (config, transport) in notifiers {
            let now = store.clock.now()
            let due = try store.write { db -> [Row] in
                try db.execute(sql: "INSERT OR IGNORE INTO notifiers (name, after_id) VALUES (?, (SELECT coalesce(max(id), 0) FROM notifications))",
                               arguments: [config.name])
                return try Row.fetchAll(db, sql: """
                    SELECT n.id, n.group_id, n.reason, n.at, n.detail, coalesce(d.attempts, 0) AS attempts
                    FROM notifications n
                    JOIN notifiers r ON r.name = ?1
                    LEFT JOIN notification_deliveries d ON d.notification_id = n.id AND d.notifier = ?1
                    WHERE n.id > r.after_id AND d.delivered_at IS NULL AND coalesce(d.next_attempt_at, 0) <= ?2
                    ORDER BY n.id LIMIT ?3
                    """, arguments: [config.name, now, limit])
            }
            for row in due {
                let id: Int64 = row["id"]
                let attempts: Int = row["attempts"]
                do {
                    try transport.send(try payload(row))
                    try record(id, notifier: config.name, attempts: attempts + 1, deliveredAt: store.clock.now(), error: nil, retryAt: 0)
                    report.delivered += 1
                } catch {
                    // 30 s, 1 min, 2 min… up to an hour between tries.
                    let backoff = min(3600, 30 * pow(2, Double(min(attempts, 7))))
                    try record(id, notifier: config.name, attempts: attempts + 1, deliveredAt: nil, error: "\(error)", retryAt: now + backoff)
                    logger.warning("notifier \(config.name): notification \(id) not delivered (attempt \(attempts + 1)), retrying in \(DurationText.format(backoff)): \(error)")
                    report.failed += 1
                    break
                }
            }
        }
        return report
    }

    private func record(_ id: Int64, notifier: String, attempts: Int, deliveredAt: Double?, error: String?, retryAt: Double) throws {
        try store.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO notification_deliveries (notification_id, notifier, attempts, next_attempt_at, delivered_at, last_error)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [id, notifier, attempts, retryAt, deliveredAt, error])
        }
    }

    /// `{"id", "reason", "at", "detail", "group": {…the group object of `show --json`, without the payload}}`.
    private func payload(_ row: Row) throws -> [UInt8] {
        let group = try store.group(String(row["group_id"] as Int64))
        var json = JSONWriter()
        json.beginObject()
        json.field("id", row["id"] as Int64)
        json.field("reason", row["reason"] as String)
        json.field("at", ISOTime.format(row["at"]))
        json.field("detail", row["detail"] as String?)
        json.key("group")
        GroupJSON.write(group, registry: store.registry, into: &json, fields: nil)
        json.endObject()
        return Array(json.text.utf8)
    }
}
