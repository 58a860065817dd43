import Testing
import TriageEngine
import TriageTestSupport

/// Hourly counts, users and the escalation forecast: what the sparklines and details chart read.
@Suite struct TrendContractTests {
    /// Half past hour `hour`.
    static let hour: Int64 = 497_250
    static let now = Double(hour) * 3600 + 1800

    /// Group 1: two events this hour, one the hour before, seen by two users; group 2: one event
    /// three hours ago, no user.
    private func fixture(_ backend: StoreBackend) throws -> any StoreUnderContract {
        try backend.store(holding: [
            PayloadBuilder(id: 1, fingerprint: "a", time: Self.now - 3600).seenBy("u1").json,
            PayloadBuilder(id: 2, fingerprint: "a", time: Self.now - 60).seenBy("u2").json,
            PayloadBuilder(id: 3, fingerprint: "a", time: Self.now - 30).seenBy("u1").json,
            PayloadBuilder(id: 4, fingerprint: "b", time: Self.now - 3 * 3600).json,
        ], now: Self.now)
    }

    @Test(arguments: StoreBackend.all)
    func test_hourlyCountsAreOldestFirstWithZerosForQuietHours(_ backend: StoreBackend) throws {
        let fixture = try fixture(backend)
        let a = try fixture.store.group("1").id
        let b = try fixture.store.group("2").id
        let counts = try fixture.store.hourlyCounts(of: [a, b, a, 999], hours: 4, through: Self.hour)
        #expect(counts[a] == [0, 0, 1, 2])
        #expect(counts[b] == [1, 0, 0, 0])
        #expect(counts[999] == [0, 0, 0, 0], "a group without events has only quiet hours")
        #expect(try fixture.store.hourlyCounts(of: [a], hours: 2, through: Self.hour - 1)[a] == [0, 1])
        #expect(try fixture.store.hourlyCounts(of: [], hours: 4, through: Self.hour).isEmpty)
    }

    @Test(arguments: StoreBackend.all)
    func test_userCountsAreDistinctAndCapped(_ backend: StoreBackend) throws {
        let fixture = try fixture(backend)
        let a = try fixture.store.group("1").id
        let b = try fixture.store.group("2").id
        #expect(try fixture.store.userCounts(of: [a, b], upTo: 1_000) == [a: 2, b: 0])
        #expect(try fixture.store.userCounts(of: [a, b], upTo: 1) == [a: 1, b: 0])
    }

    @Test(arguments: StoreBackend.all)
    func test_theForecastComesFromTheWeeksHistory(_ backend: StoreBackend) throws {
        let fixture = try fixture(backend)
        let a = try fixture.store.group("1")
        var history = Array(repeating: 0, count: EscalationForecast.historyHours)
        history[history.count - 1] = 1
        let expected = EscalationForecast.forecast(history: history, groupAge: Self.now - a.firstSeen,
                                                   floor: EngineSettings().lifecycle.escalationFloor)
        #expect(try fixture.store.escalationForecast(of: a.id) == EscalationOutlook(thisHour: 2, forecast: expected))
        #expect(throws: StoreError.groupNotFound("999")) { try fixture.store.escalationForecast(of: 999) }
    }
}
