import Foundation
import TriageEngine

/// Shared by `resolve`, `unresolve` and `ignore`: resolve the references, apply the action to all of
/// them at once (all or nothing), report each group's move.
enum StatusChangeRunner {
    static func run(_ action: StatusAction, groups references: [String], locations: Locations) throws {
        let config = try locations.loadConfig()
        let store = try locations.openIssueStore(config)
        let groups = try store.groups(named: references)
        let metrics = TriageMetrics()
        let activity = try locations.activity(config, metrics: metrics, store: store)
        let results = try store.apply(action, to: groups.map(\.id), actor: activity.actor.name)
        activity.statusChanged(results, groups: groups, by: action)
        try? metrics.persist(into: store)
        for (group, result) in zip(groups, results) {
            if let target = result.to {
                print("\(group.shortID): \(result.from) → \(target)")
            } else {
                print("\(group.shortID): already \(result.from)")
            }
        }
    }
}
