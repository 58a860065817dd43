import Foundation
import Testing
@testable import TriageEngine
import TriageTestSupport

/// Spec §5 with an injected clock: the exact state and history after each step, edges included.
@Suite struct LifecycleTests {
    static let t0 = 1_790_000_000.0
    static let day = 86_400.0

    /// One occurrence of group `fingerprint` at `time`, ingested with the clock at `time`.
    private func occur(_ workspace: Workspace, id: Int, fingerprint: String = "fp-1", type: Int = 1, project: Int = 1,
                       at time: Double, user: String? = nil) throws {
        workspace.clock.set(time)
        var payload = PayloadBuilder(id: id, project: project, fingerprint: fingerprint, type: type, time: time)
        if let user { payload = payload.seenBy(user) }
        workspace.drop("o-\(id).json", payload.json)
        try workspace.ingest()
    }

    private func state(_ workspace: Workspace, _ reference: String = "1") throws -> GroupState {
        try workspace.store.group(reference).state
    }

    private func lastHistory(_ workspace: Workspace, _ groupID: Int64 = 1) throws -> StatusHistoryEntry {
        try #require(try workspace.store.details(of: groupID).history.last)
    }

    private func ignore(_ workspace: Workspace, _ condition: IgnoreCondition) throws {
        _ = try workspace.store.apply(.ignore(.untilCondition(condition)), to: [1], actor: "tester")
    }

    @Test func test_newBecomesOngoingAfterExactlySevenDays() throws {
        let workspace = try Workspace(now: Self.t0)
        try occur(workspace, id: 1, at: Self.t0)
        workspace.clock.set(Self.t0 + 7 * Self.day - 1)
        #expect(try workspace.store.applyRules() == 0)
        #expect(try state(workspace) == .new)
        workspace.clock.set(Self.t0 + 7 * Self.day)
        #expect(try workspace.store.applyRules() == 1)
        #expect(try state(workspace) == .ongoing)
        let entry = try lastHistory(workspace)
        #expect(entry.cause == "rule:ongoing")
        #expect(entry.detail == "new for 7 days")
        #expect(entry.from == .new)
    }

    @Test func test_aRegressionRestartsTheOngoingClock() throws {
        let workspace = try Workspace(now: Self.t0)
        try occur(workspace, id: 1, at: Self.t0)
        _ = try workspace.store.apply(.resolve, to: [1], actor: "tester")
        try occur(workspace, id: 2, at: Self.t0 + 3 * Self.day)
        #expect(try state(workspace) == .regressed)
        workspace.clock.set(Self.t0 + 10 * Self.day - 1)
        try workspace.store.applyRules()
        #expect(try state(workspace) == .regressed, "seven days from the regression, not from creation")
        workspace.clock.set(Self.t0 + 10 * Self.day)
        try workspace.store.applyRules()
        #expect(try state(workspace) == .ongoing)
        #expect(try lastHistory(workspace).detail == "regressed for 7 days")
    }

    @Test func test_ignoredGroupsDoNotRegress() throws {
        let workspace = try Workspace(now: Self.t0)
        try occur(workspace, id: 1, at: Self.t0)
        _ = try workspace.store.apply(.ignore(.forever), to: [1], actor: nil)
        try occur(workspace, id: 2, at: Self.t0 + 60)
        #expect(try state(workspace) == GroupState(status: .ignored, substatus: .forever))
        workspace.clock.set(Self.t0 + 30 * Self.day)
        try workspace.store.applyRules()
        #expect(try state(workspace) == GroupState(status: .ignored, substatus: .forever), "forever never lapses")
    }

    @Test func test_ignoreUntilATimeLapsesToOngoingAtThatSecond() throws {
        let workspace = try Workspace(now: Self.t0)
        try occur(workspace, id: 1, at: Self.t0)
        try ignore(workspace, IgnoreCondition(until: Self.t0 + 7200))
        workspace.clock.set(Self.t0 + 7199)
        try workspace.store.applyRules()
        #expect(try state(workspace).status == .ignored)
        workspace.clock.set(Self.t0 + 7200)
        try workspace.store.applyRules()
        #expect(try state(workspace) == .ongoing)
        #expect(try lastHistory(workspace).cause == "rule:ignore_lapsed")
        #expect(try workspace.store.details(of: 1).ignoreCondition == nil)
    }

    @Test func test_ignoreUntilNMoreOccurrencesEscalatesOnTheNth() throws {
        let workspace = try Workspace(now: Self.t0)
        try occur(workspace, id: 1, at: Self.t0)
        try occur(workspace, id: 2, at: Self.t0 + 1)
        try ignore(workspace, IgnoreCondition(count: 3))
        try occur(workspace, id: 3, at: Self.t0 + 10)
        try occur(workspace, id: 4, at: Self.t0 + 20)
        #expect(try state(workspace).status == .ignored, "two since ignoring; the two before do not count")
        try occur(workspace, id: 5, at: Self.t0 + 30)
        #expect(try state(workspace) == .escalating)
        let entry = try lastHistory(workspace)
        #expect(entry.cause == "rule:escalating")
        #expect(entry.detail == "3 occurrences since ignored (limit 3)")
    }

    @Test func test_ignoreUntilNWithinAWindowCountsOnlyTheWindow() throws {
        let workspace = try Workspace(now: Self.t0)
        try occur(workspace, id: 1, at: Self.t0)
        try ignore(workspace, IgnoreCondition(count: 3, countWindow: 3600))
        // Spread out: never three within an hour.
        for (index, minutes) in [0.0, 70, 140, 210].enumerated() {
            try occur(workspace, id: 10 + index, at: Self.t0 + 60 + minutes * 60)
        }
        #expect(try state(workspace).status == .ignored)
        // Two more close to the last one: three within the hour.
        try occur(workspace, id: 20, at: Self.t0 + 60 + 215 * 60)
        #expect(try state(workspace).status == .ignored, "two in the window")
        try occur(workspace, id: 21, at: Self.t0 + 60 + 220 * 60)
        #expect(try state(workspace) == .escalating)
        #expect(try lastHistory(workspace).detail == "3 occurrences within 1h since ignored (limit 3)")
    }

    @Test func test_ignoreUntilNMoreUsersCountsDistinctNewUsers() throws {
        let workspace = try Workspace(now: Self.t0)
        try occur(workspace, id: 1, at: Self.t0, user: "alice")
        try ignore(workspace, IgnoreCondition(users: 2))
        try occur(workspace, id: 2, at: Self.t0 + 10, user: "alice")
        try occur(workspace, id: 3, at: Self.t0 + 20, user: "bob")
        try occur(workspace, id: 4, at: Self.t0 + 30, user: "bob")
        try occur(workspace, id: 5, at: Self.t0 + 40)
        #expect(try state(workspace).status == .ignored, "alice was seen before ignoring; bob is one; no user is none")
        try occur(workspace, id: 6, at: Self.t0 + 50, user: "carol")
        #expect(try state(workspace) == .escalating)
        #expect(try lastHistory(workspace).detail == "2 users since ignored (limit 2)")
    }

    @Test func test_ignoreUntilNUsersWithinAWindow() throws {
        let workspace = try Workspace(now: Self.t0)
        try occur(workspace, id: 1, at: Self.t0)
        try ignore(workspace, IgnoreCondition(users: 2, userWindow: 600))
        try occur(workspace, id: 2, at: Self.t0 + 100, user: "alice")
        try occur(workspace, id: 3, at: Self.t0 + 800, user: "bob")
        #expect(try state(workspace).status == .ignored, "alice's only occurrence left the window")
        try occur(workspace, id: 4, at: Self.t0 + 900, user: "alice")
        #expect(try state(workspace) == .escalating)
    }

    @Test func test_autoResolveByProjectAgeOnlyForTypesThatAllowIt() throws {
        var settings = EngineSettings()
        settings.lifecycle.resolveAgeHours[1] = 72
        let workspace = try Workspace(settings: settings, now: Self.t0)
        try occur(workspace, id: 1, fingerprint: "error", at: Self.t0)
        try occur(workspace, id: 2, fingerprint: "no-auto", type: 2011, at: Self.t0)
        try occur(workspace, id: 3, fingerprint: "other-project", project: 2, at: Self.t0)
        workspace.clock.set(Self.t0 + 72 * 3600 - 1)
        try workspace.store.applyRules()
        #expect(try workspace.groups("is:resolved").isEmpty)
        workspace.clock.set(Self.t0 + 72 * 3600)
        #expect(try workspace.store.applyRules() == 1)
        #expect(try workspace.groups("is:resolved").map(\.fingerprint) == ["error"])
        let entry = try lastHistory(workspace)
        #expect(entry.cause == "rule:auto_resolve")
        #expect(entry.detail?.hasPrefix("auto-resolved by age: last seen") == true)
        // A new occurrence regresses it as usual.
        try occur(workspace, id: 4, fingerprint: "error", at: Self.t0 + 80 * 3600)
        #expect(try state(workspace) == .regressed)
    }

    @Test func test_ingestRunsTheRulesAtItsStart() throws {
        let workspace = try Workspace(now: Self.t0)
        try occur(workspace, id: 1, at: Self.t0)
        workspace.clock.set(Self.t0 + 8 * Self.day)
        let report = try workspace.ingest()
        #expect(report.ruleChanges == 1)
        #expect(try state(workspace) == .ongoing)
    }
}

/// The escalation forecast, on constructed histories.
@Suite struct EscalationForecastTests {
    @Test func test_flatHistory() {
        let forecast = EscalationForecast.forecast(history: Array(repeating: 10, count: 168), groupAge: 30 * 86_400, floor: 10)
        #expect(forecast == 15)
        #expect(!EscalationForecast.escalates(currentHour: 15, forecast: forecast))
        #expect(EscalationForecast.escalates(currentHour: 16, forecast: forecast))
    }

    @Test func test_spikyHistoryTolerateASpikeLikeThoseAlreadySeen() {
        var history = Array(repeating: 1, count: 168)
        for day in 0..<7 { history[day * 24 + 9] = 50 }
        let forecast = EscalationForecast.forecast(history: history, groupAge: 30 * 86_400, floor: 10)
        #expect(forecast == 75)
        #expect(!EscalationForecast.escalates(currentHour: 60, forecast: forecast))
        #expect(EscalationForecast.escalates(currentHour: 76, forecast: forecast))
    }

    @Test func test_growingHistoryLeavesRoomForGrowth() {
        let forecast = EscalationForecast.forecast(history: Array(1...168), groupAge: 30 * 86_400, floor: 10)
        #expect(forecast == 252)
    }

    @Test func test_brandNewAndQuietGroupsUseTheFloor() {
        #expect(EscalationForecast.forecast(history: [500], groupAge: 3600, floor: 10) == 10, "less than a day old: floor only")
        #expect(EscalationForecast.forecast(history: [], groupAge: 30 * 86_400, floor: 10) == 10)
        #expect(EscalationForecast.forecast(history: [2, 3], groupAge: 2 * 86_400, floor: 10) == 10)
    }

    @Test func test_aGroupIgnoredUntilEscalatingEscalatesWhenTheHourBeatsTheForecast() throws {
        let workspace = try Workspace(now: LifecycleTests.t0)
        let start = (LifecycleTests.t0 / 3600).rounded(.down) * 3600
        // Two days at 4 an hour (peak 4 → forecast max(10, 6) = 10).
        var lines: [String] = []
        var id = 0
        for hour in 0..<48 {
            for minute in 0..<4 {
                id += 1
                lines.append(PayloadBuilder(id: id, time: start + Double(hour) * 3600 + Double(minute) * 600).json)
            }
        }
        workspace.clock.set(start + 48 * 3600)
        workspace.drop("history.jsonl", lines.joined(separator: "\n"))
        try workspace.ingest()
        _ = try workspace.store.apply(.ignore(.untilEscalating), to: [1], actor: nil)
        // The current hour: ten occurrences are not more than the forecast; the eleventh is.
        let hour = start + 48 * 3600
        for minute in 0..<10 {
            id += 1
            workspace.drop("now-\(id).json", PayloadBuilder(id: id, time: hour + Double(minute) * 60).json)
        }
        try workspace.ingest()
        #expect(try workspace.store.group("1").state == GroupState(status: .ignored, substatus: .untilEscalating))
        id += 1
        workspace.drop("now-\(id).json", PayloadBuilder(id: id, time: hour + 900).json)
        try workspace.ingest()
        #expect(try workspace.store.group("1").state == .escalating)
        #expect(try workspace.store.details(of: 1).history.last?.detail == "11 occurrences this hour, forecast 10")
    }
}
