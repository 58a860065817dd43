import Foundation
import Testing
@testable import TriageEngine

/// The time-based rules decide from what a `LifecycleStore` supplies and hand it back the
/// transitions to record, so a store other than SQLite reuses them as they are.
@Suite struct LifecycleStoreSeamTests {
    /// A store in memory: answers with fixed due groups and records what the rules ask of it.
    private final class RecordingStore: LifecycleStore {
        var ignoredUntil: [(groupID: Int64, until: Double?)] = []
        var ongoingDue: [(groupID: Int64, substatus: GroupSubstatus?)] = []
        var stale: [Int64: [(groupID: Int64, substatus: GroupSubstatus?, lastSeen: Double?)]] = [:]
        private(set) var asked: [String] = []
        private(set) var transitions: [GroupTransition] = []
        private(set) var notified: [(Int64, NotificationReason)] = []
        private(set) var pruned: (notificationsBefore: Double, hoursBefore: Int64)?

        func groupsIgnoredUntil(atOrBefore now: Double) throws -> [(groupID: Int64, until: Double?)] {
            asked.append("ignored until \(now)")
            return ignoredUntil
        }

        func groupsOngoingDue(clockStartedBy cutoff: Double) throws -> [(groupID: Int64, substatus: GroupSubstatus?)] {
            asked.append("ongoing by \(cutoff)")
            return ongoingDue
        }

        func unresolvedGroups(of project: Int64, types: [Int], lastSeenBy cutoff: Double)
            throws -> [(groupID: Int64, substatus: GroupSubstatus?, lastSeen: Double?)] {
            asked.append("stale in \(project) by \(cutoff)")
            return stale[project] ?? []
        }

        func apply(_ transition: GroupTransition, at now: Double) throws { transitions.append(transition) }
        func notify(_ groupID: Int64, _ reason: NotificationReason, detail: String?, at now: Double) throws { notified.append((groupID, reason)) }
        func prune(notificationsBefore: Double, hoursBefore: Int64) throws { pruned = (notificationsBefore, hoursBefore) }
        func occurrences(of groupID: Int64, after seq: Int64, detectedAfter time: Double) throws -> Int { 0 }
        func users(of groupID: Int64, seenAfter seq: Int64, lastSeenAfter time: Double) throws -> Int { 0 }
        func newUsers(of groupID: Int64, after seq: Int64) throws -> Int { 0 }
    }

    @Test func test_theTimeRulesRunOnAStoreTheyKnowOnlyAsLifecycleStore() throws {
        let now = 30 * 86_400.0
        let store = RecordingStore()
        store.ignoredUntil = [(groupID: 1, until: now - 60)]
        store.ongoingDue = [(groupID: 2, substatus: .regressed), (groupID: 3, substatus: nil)]
        store.stale = [7: [(groupID: 4, substatus: .new, lastSeen: now - 7200)]]
        var settings = EngineSettings()
        settings.lifecycle.resolveAgeHours = [7: 1]
        settings.notifyResolved = true

        let changed = try LifecycleRules.run(store, registry: .builtIn, settings: settings, now: now)

        #expect(changed == 4)
        #expect(store.asked == ["ignored until \(now)", "ongoing by \(now - LifecycleConfig.ongoingAfter)", "stale in 7 by \(now - 3600)"])
        let written = store.transitions.map { "\($0.groupID) \($0.from) -> \($0.to) \($0.cause.rawValue)" }
        #expect(written == ["1 ignored/archived_until_condition_met -> unresolved/ongoing rule:ignore_lapsed",
                            "2 unresolved/regressed -> unresolved/ongoing rule:ongoing",
                            "3 unresolved/new -> unresolved/ongoing rule:ongoing",
                            "4 unresolved/new -> resolved rule:auto_resolve"])
        #expect(store.transitions.allSatisfy { $0.ignoreCondition == nil }, "every rule's target clears the ignore condition")
        #expect(store.transitions[0].detail == "ignored until \(ISOTime.format(now - 60))")
        #expect(store.transitions[1].detail == "regressed for 7 days")
        #expect(store.notified.map(\.0) == [4] && store.notified.map(\.1) == [.resolved])
        #expect(store.pruned?.notificationsBefore == now - 30 * 86_400)
        #expect(store.pruned?.hoursBefore == Int64(now / 3600) - Int64(EscalationForecast.historyHours) - 24)
    }
}
