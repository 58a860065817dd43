/// Where a `NotificationDispatcher` finds what is due and records what it sent: the outbox side of a
/// store. On SQLite one process delivers at a time; on the team store every ingester runs a courier,
/// so `claimDue` must hand each due notification to one of them (a lease), never to two.
public protocol NotificationDeliveries: Sendable {
    var clock: any TriageClock { get }
    var registry: GroupTypeRegistry { get }

    /// Notes where each notifier not seen before starts: it receives what is recorded from now on,
    /// not the past. Idempotent, and safe for several processes at once.
    func registerNotifiers(_ names: [String]) throws
    /// Up to `limit` notifications due for `notifier` at `now`, oldest first, each with the attempts
    /// made so far; none of them is handed to another caller until `leaseUntil` unless recorded first.
    func claimDue(for notifier: String, now: Double, leaseUntil: Double, limit: Int) throws -> [DueNotification]
    /// Gives back claimed notifications that were not tried (the notifier failed on an earlier one):
    /// due as they were before the claim.
    func releaseClaims(_ notificationIDs: [Int64], for notifier: String, now: Double) throws
    /// One attempt's outcome: delivered at `deliveredAt`, or failed with `error`, to try again at `retryAt`.
    func recordAttempt(_ notificationID: Int64, notifier: String, attempts: Int, deliveredAt: Double?, error: String?, retryAt: Double) throws
    /// When the earliest failed delivery to one of `notifiers` may be tried again, if one waits.
    func nextRetry(for notifiers: [String]) throws -> Double?
    /// The group a notification is about, as `show --json` gives it.
    func group(_ reference: String) throws -> Group
}

/// A notification due for delivery, and how many times its delivery was tried.
public struct DueNotification: Sendable, Equatable {
    public let notification: TriageNotification
    public let attempts: Int

    package init(notification: TriageNotification, attempts: Int) {
        self.notification = notification
        self.attempts = attempts
    }
}
