import Testing
import TriageEngine
import TriageTestSupport

/// The store's gauges, the same on every backend.
@Suite struct MetricsContractTests {
    @Test(arguments: StoreBackend.all)
    func test_deliveriesPendingCountWhatIsStillToGoIncludingNotificationsNotTriedYet(_ backend: StoreBackend) throws {
        let fixture = try backend.store()
        let outbox = try #require(fixture.store as? any NotificationDeliveries)
        let gauges = try #require(fixture.store as? any MetricsStore)
        try outbox.registerNotifiers(["pager", "chat"])
        try fixture.ingest((1...3).map { PayloadBuilder(id: $0, fingerprint: "g\($0)", type: 1).json })
        #expect(try gauges.gaugeCounts().pendingDeliveries == 6, "three new issues for two notifiers, none tried yet")

        let now = fixture.clock.now()
        let due = try outbox.claimDue(for: "pager", now: now, leaseUntil: now + 60, limit: 10)
        #expect(due.count == 3)
        try outbox.recordAttempt(due[0].notification.id, notifier: "pager", attempts: 1, deliveredAt: now, error: nil, retryAt: 0)
        try outbox.recordAttempt(due[1].notification.id, notifier: "pager", attempts: 1, deliveredAt: nil, error: "down", retryAt: now + 30)
        #expect(try gauges.gaugeCounts().pendingDeliveries == 5, "one delivered; one failing and one leased still to go, and chat's three")
    }
}
