import Foundation
import Logging

/// Delivers the outbox on a thread of its own, so a slow or unreachable notifier never holds up
/// ingest: a pass only says that it committed (`wake`), and the courier delivers beside it.
/// Failed deliveries are tried again when their backoff ends, with or without new commits.
public final class NotificationCourier: @unchecked Sendable {
    private let dispatcher: NotificationDispatcher
    private let clock: any TriageClock
    private let metrics: TriageMetrics?
    private let logger: Logger
    /// Seconds between looks at the outbox without a wake: for a store other processes record into.
    private let poll: Double?
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var requested = 0
    private var completed = 0
    private var stopping = false
    /// `finish` delivers a backlog whole; `stop` leaves it for the next process.
    private var draining = false
    private var running = true
    private var totals = NotificationDispatcher.Report()

    /// Registers the notifiers (they receive everything recorded from now on) and starts the thread.
    /// `poll`: also look every so many seconds, for what other processes record (on a team store,
    /// people's assignments and the other ingesters' notifications, which wake no courier here).
    public init(store: any NotificationDeliveries, notifiers: [NotifierConfig], metrics: TriageMetrics? = nil,
                poll: Double? = nil, logger: Logger = Logger(label: "triage.notify")) throws {
        dispatcher = try NotificationDispatcher(store: store, notifiers: notifiers, logger: logger)
        clock = store.clock
        self.metrics = metrics
        self.poll = poll
        self.logger = logger
        let thread = Thread { [self] in run() }
        thread.name = "triage.notify"
        thread.start()
    }

    /// Something may be due (a commit recorded notifications): deliver it soon. Never waits.
    public func wake() {
        condition.withLock {
            requested += 1
            condition.signal()
        }
    }

    /// What was delivered and what failed so far.
    public var report: NotificationDispatcher.Report { condition.withLock { totals } }

    /// Delivers everything due now, then stops the thread; returns the totals. For a command that
    /// exits after one pass: the notifications it recorded go out before it does.
    @discardableResult
    public func finish() -> NotificationDispatcher.Report {
        condition.withLock {
            requested += 1
            stopping = true
            draining = true
            condition.broadcast()
            while running { condition.wait() }
            return totals
        }
    }

    /// Starts no other delivery, waits a moment for the one under way (so it is recorded, not sent
    /// again by the next process), and returns the totals. Bounded: a hung notifier must not hold up
    /// Ctrl-C for its whole timeout.
    @discardableResult
    public func stop() -> NotificationDispatcher.Report {
        condition.withLock {
            stopping = true
            requested = completed
            condition.broadcast()
            let deadline = Date(timeIntervalSinceNow: 5)
            while running, condition.wait(until: deadline) {}
            return totals
        }
    }

    private func run() {
        var retryAt: Double?
        var backlog = false
        // An outage is told once when it starts (its reason may change as it goes on) and once when it ends.
        var failing = false
        while let target = nextRound(retryAt: retryAt, backlog: backlog) {
            var round = NotificationDispatcher.Report()
            do {
                (round, backlog) = try dispatcher.deliverRound(limit: 500, shouldStop: { [self] in
                    condition.withLock { stopping && !draining }
                })
                retryAt = try dispatcher.nextRetry()
                if failing { logger.warning("notifications: the store answers again; delivering") }
                failing = false
            } catch {
                // The store is busy or broken: try again a little later rather than spin.
                if !failing { logger.warning("notifications: \(error)") }
                failing = true
                backlog = false
                retryAt = clock.now() + 30
            }
            metrics?.increment(MetricNames.notifications, by: round.delivered, tags: [("outcome", "sent")], sampleRate: 1)
            metrics?.increment(MetricNames.notifications, by: round.failed, tags: [("outcome", "failed")], sampleRate: 1)
            condition.withLock {
                totals.delivered += round.delivered
                totals.failed += round.failed
                completed = max(completed, target)
                condition.broadcast()
            }
        }
        condition.withLock {
            running = false
            condition.broadcast()
        }
    }

    /// Waits until a round is asked for, a backoff ends or a backlog remains; nil once stopped with
    /// nothing left to do. Returns the request the round serves.
    private func nextRound(retryAt: Double?, backlog: Bool) -> Int? {
        let wakeAt = [retryAt, poll.map { clock.now() + $0 }].compactMap { $0 }.min()
        return condition.withLock {
            while true {
                if requested > completed || (backlog && (!stopping || draining)) { return requested }
                if stopping { return nil }
                if let wakeAt {
                    let delay = wakeAt - clock.now()
                    if delay <= 0 { return requested }
                    _ = condition.wait(until: Date(timeIntervalSinceNow: min(delay, 3600)))
                } else {
                    condition.wait()
                }
            }
        }
    }
}
