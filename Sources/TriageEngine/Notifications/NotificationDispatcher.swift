import Foundation
import GRDB
import Logging

/// Delivers the outbox to each configured notifier: one round of what is due now. A delivery that
/// fails is logged and retried later with backoff; the notification stays in the outbox until
/// delivered. `NotificationCourier` runs rounds on a thread of their own, beside ingest.
public final class NotificationDispatcher: Sendable {
    private let store: SQLiteStore
    private let notifiers: [(config: NotifierConfig, transport: any NotificationTransport)]
    private let logger: Logger

    /// Registers the notifiers (`register`), so each receives everything recorded from now on.
    public init(store: SQLiteStore, notifiers: [NotifierConfig], logger: Logger = Logger(label: "triage.notify")) throws {
        self.store = store
        self.notifiers = notifiers.map { ($0, NotificationTransports.make($0)) }
        self.logger = logger
        try Self.register(notifiers, in: store)
    }

    /// A notifier receives what was recorded after it was first configured, not the past: this notes
    /// where each new one starts. Every process that may record a notification calls it when it opens
    /// the store with its config, before it records anything.
    public static func register(_ notifiers: [NotifierConfig], in store: SQLiteStore) throws {
        guard !notifiers.isEmpty else { return }
        let known = Set(try store.read { db in try String.fetchAll(db, sql: "SELECT name FROM notifiers") })
        let new = notifiers.map(\.name).filter { !known.contains($0) }
        guard !new.isEmpty else { return }
        try store.write { db in
            for name in new {
                try db.execute(sql: "INSERT OR IGNORE INTO notifiers (name, after_id) VALUES (?, (SELECT coalesce(max(id), 0) FROM notifications))",
                               arguments: [name])
            }
        }
    }

    public struct Report: Sendable, Equatable {
        public var delivered = 0
        public var failed = 0

        public init(delivered: Int = 0, failed: Int = 0) {
            self.delivered = delivered
            self.failed = failed
        }
    }

    /// Delivers what is due now, at most `limit` per notifier.
    @discardableResult
    public func deliverDue(limit: Int = 500) throws -> Report {
        try deliverRound(limit: limit).report
    }

    /// One round; `backlog` is true when a notifier had more due than `limit`. A notifier's first
    /// failure ends its turn (the next round tries again), so one that is down costs one timeout per
    /// round, not one per message. `shouldStop` is asked before each delivery.
    func deliverRound(limit: Int, shouldStop: () -> Bool = { false }) throws -> (report: Report, backlog: Bool) {
        var report = Report()
        var backlog = false
        for (config, transport) in notifiers {
            let now = store.clock.now()
            let due = try store.read { db -> [Row] in
                try Row.fetchAll(db, sql: """
                    SELECT n.id, n.group_id, n.reason, n.at, n.detail, coalesce(d.attempts, 0) AS attempts
                    FROM notifications n
                    JOIN notifiers r ON r.name = ?1
                    LEFT JOIN notification_deliveries d ON d.notification_id = n.id AND d.notifier = ?1
                    WHERE n.id > r.after_id AND d.delivered_at IS NULL AND coalesce(d.next_attempt_at, 0) <= ?2
                    ORDER BY n.id LIMIT ?3
                    """, arguments: [config.name, now, limit + 1])
            }
            var delivered = 0
            for row in due.prefix(limit) {
                if shouldStop() { return (report, false) }
                let id: Int64 = row["id"]
                let attempts: Int = row["attempts"]
                do {
                    try transport.send(try payload(row))
                    try record(id, notifier: config.name, attempts: attempts + 1, deliveredAt: store.clock.now(), error: nil, retryAt: 0)
                    delivered += 1
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
            if due.count > limit, delivered == limit { backlog = true }
        }
        return (report, backlog)
    }

    /// When the earliest failed delivery may be tried again (the store's clock), if one waits.
    func nextRetry() throws -> Double? {
        let names = notifiers.map(\.config.name)
        guard !names.isEmpty else { return nil }
        return try store.read { db in
            try Double.fetchOne(db, sql: """
                SELECT min(next_attempt_at) FROM notification_deliveries
                WHERE delivered_at IS NULL AND notifier IN (\(databaseQuestionMarks(count: names.count)))
                """, arguments: StatementArguments(names))
        }
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
