import Foundation
import GRDB
import Logging

/// Delivers the outbox to each configured notifier: one round of what is due now. A delivery that
/// fails is logged and retried later with backoff; the notification stays in the outbox until
/// delivered. `NotificationCourier` runs rounds on a thread of their own, beside ingest.
public final class NotificationDispatcher: Sendable {
    private let store: any NotificationDeliveries
    private let notifiers: [(config: NotifierConfig, transport: any NotificationTransport)]
    private let logger: Logger

    /// Registers the notifiers (`register`), so each receives everything recorded from now on.
    public init(store: any NotificationDeliveries, notifiers: [NotifierConfig], logger: Logger = Logger(label: "triage.notify")) throws {
        self.store = store
        self.notifiers = notifiers.map { ($0, NotificationTransports.make($0)) }
        self.logger = logger
        try Self.register(notifiers, in: store)
    }

    /// A notifier receives what was recorded after it was first configured, not the past: this notes
    /// where each new one starts. Every process that may record a notification calls it when it opens
    /// the store with its config, before it records anything.
    public static func register(_ notifiers: [NotifierConfig], in store: any NotificationDeliveries) throws {
        try store.registerNotifiers(notifiers.map(\.name))
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
        notifiers: for (config, transport) in notifiers {
            var delivered = 0
            while delivered < limit {
                // Claimed one at a time, leased for as long as sending it may take: on the team store
                // another ingester's courier skips it meanwhile, and takes it over soon after this
                // process dies before recording the outcome (a longer claim held the rest for minutes).
                let now = store.clock.now()
                let chunk = min(Self.claimChunk, limit - delivered)
                let due = try store.claimDue(for: config.name, now: now, leaseUntil: now + Double(chunk) * config.timeout + Self.leaseMargin,
                                             limit: chunk)
                for (index, item) in due.enumerated() {
                    if shouldStop() { return (report, false) }
                    let id = item.notification.id
                    do {
                        try transport.send(try payload(item.notification))
                        try store.recordAttempt(id, notifier: config.name, attempts: item.attempts + 1, deliveredAt: store.clock.now(),
                                                error: nil, retryAt: 0)
                        delivered += 1
                        report.delivered += 1
                    } catch {
                        // 30 s, 1 min, 2 min… up to an hour between tries.
                        let backoff = min(3600, 30 * pow(2, Double(min(item.attempts, 7))))
                        try store.recordAttempt(id, notifier: config.name, attempts: item.attempts + 1, deliveredAt: nil, error: "\(error)",
                                                retryAt: now + backoff)
                        logger.warning("notifier \(config.name): notification \(id) not delivered (attempt \(item.attempts + 1)), retrying in \(DurationText.format(backoff)): \(error)")
                        report.failed += 1
                        // The rest of the claim was not tried: it is due as before, not when the lease ends.
                        try store.releaseClaims(due[(index + 1)...].map(\.notification.id), for: config.name, now: now)
                        continue notifiers
                    }
                }
                if due.count < chunk { continue notifiers }
            }
            backlog = true
        }
        return (report, backlog)
    }

    /// Notifications claimed at once: a lease covers this many deliveries' timeouts.
    static let claimChunk = 1
    /// Seconds a lease lasts past the deliveries' timeouts: a timed-out notifier's group is stopped
    /// within 4 s (`ChildProcess`), and the outcome is then recorded.
    static let leaseMargin = 10.0

    /// When the earliest failed delivery may be tried again (the store's clock), if one waits.
    func nextRetry() throws -> Double? {
        try store.nextRetry(for: notifiers.map(\.config.name))
    }

    /// `{"id", "reason", "at", "detail", "group": {…the group object of `show --json`, without the payload}}`.
    private func payload(_ notification: TriageNotification) throws -> [UInt8] {
        let group = try store.group(String(notification.groupID))
        var json = JSONWriter()
        json.beginObject()
        json.field("id", notification.id)
        json.field("reason", notification.reason.rawValue)
        json.field("at", ISOTime.format(notification.at))
        json.field("detail", notification.detail)
        json.key("group")
        GroupJSON.write(group, registry: store.registry, into: &json, fields: nil)
        json.endObject()
        return Array(json.text.utf8)
    }
}
