import Foundation
import Testing
@testable import TriageEngine
import TriageDemo
import TriageTestSupport

/// Ten simulated days, hour by hour, through the real spool and store; the final statuses are
/// checked against a small independent model of spec §5 written here, not borrowed from the engine.
@Suite struct LifecycleScenarioTests {
    /// The model's view of a group.
    struct ModelGroup {
        var status = "unresolved"
        var substatus: String? = "new"
        var since = 0.0
        var lastSeen = 0.0
        var timesSeen = 0
    }

    @Test func test_tenDaysOfOccurrencesResolutionsAndRulesEndWhereTheModelSays() throws {
        let start = 1_790_006_400.0  // on an hour boundary
        var settings = EngineSettings()
        settings.lifecycle.resolveAgeHours[1] = 72
        let workspace = try Workspace(settings: settings, now: start)
        var random = SplitMix64(seed: 42)
        let groupCount = 30
        // Each group is active in a few bursts: some stop early (auto-resolve), some come back (regress).
        let activeHours: [Set<Int>] = (0..<groupCount).map { _ in
            var hours = Set<Int>()
            for _ in 0..<(1 + Int(random.next() % 4)) {
                let begin = Int(random.next() % 220)
                let length = 1 + Int(random.next() % 30)
                for hour in begin..<min(240, begin + length) where random.next() % 3 == 0 { hours.insert(hour) }
            }
            return hours
        }
        let resolveAt: [Int?] = (0..<groupCount).map { _ in random.next() % 2 == 0 ? Int(random.next() % 240) : nil }

        var model: [Int: ModelGroup] = [:]
        var id = 0
        for hour in 0..<240 {
            let now = start + Double(hour + 1) * 3600
            // The ingest runs the rules first, as of now.
            for (group, var state) in model {
                if state.status == "unresolved", ["new", "regressed"].contains(state.substatus), now - state.since >= 7 * 86_400 {
                    state.substatus = "ongoing"
                }
                if group < 15, state.status == "unresolved", now - state.lastSeen >= 72 * 3600 {
                    (state.status, state.substatus) = ("resolved", nil)
                }
                model[group] = state
            }
            var lines: [String] = []
            for group in 0..<groupCount where activeHours[group].contains(hour) {
                let time = start + Double(hour) * 3600 + Double(random.next() % 3600)
                id += 1
                lines.append(PayloadBuilder(id: id, project: group < 15 ? 1 : 2, fingerprint: "g\(group)", time: time).json)
                var state = model[group] ?? ModelGroup(since: time)
                if state.status == "resolved" { (state.status, state.substatus, state.since) = ("unresolved", "regressed", now) }
                state.lastSeen = max(state.lastSeen, time)
                state.timesSeen += 1
                model[group] = state
            }
            for group in 0..<groupCount where resolveAt[group] == hour && model[group] != nil {
                lines.append(statusChangeJSON(project: group < 15 ? 1 : 2, fingerprint: "g\(group)", status: 1, substatus: nil))
                (model[group]!.status, model[group]!.substatus) = ("resolved", nil)
            }
            workspace.clock.set(now)
            if !lines.isEmpty { workspace.drop(String(format: "h%03d.jsonl", hour), lines.joined(separator: "\n")) }
            try workspace.ingest()
        }

        let groups = try workspace.groups()
        #expect(groups.count == model.count)
        var transitions = Set<String>()
        for group in groups {
            let index = Int(group.fingerprint.dropFirst())!
            let expected = try #require(model[index])
            #expect(group.state.status.name == expected.status, "g\(index)")
            #expect(group.state.substatus?.name == expected.substatus, "g\(index)")
            #expect(group.timesSeen == expected.timesSeen, "g\(index)")
            for entry in try workspace.store.details(of: group.id).history { transitions.insert(entry.cause) }
        }
        // The scenario exercises every rule at least once.
        #expect(transitions.isSuperset(of: ["occurrence:new_group", "rule:regression", "rule:ongoing", "rule:auto_resolve", "payload"]), "\(transitions)")
    }
}
