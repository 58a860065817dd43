import Foundation

/// The time-based rules of spec §5, run on the rule clock: at the start of every ingest, then every
/// `LifecycleConfig.ruleInterval` while `ingest --follow` or the TUI follows a spool. Rules that new
/// occurrences trigger (regression, tripped conditions, escalation) run at the ingest writer's
/// flush (`OccurrenceRules`).
package enum LifecycleRules {
    /// Applies every rule due at `now`; returns how many groups changed state.
    package static func run(_ store: some LifecycleStore, registry: GroupTypeRegistry, settings: EngineSettings, now: Double) throws -> Int {
        var changed = 0
        changed += try lapseIgnoreUntilTime(store, now: now)
        changed += try becomeOngoing(store, now: now)
        changed += try autoResolve(store, registry: registry, settings: settings, now: now)
        // Notifications are kept 30 days: long enough for any notifier to come back and catch up.
        // The forecast reads seven days before the current hour; a day more is kept as slack.
        try store.prune(notificationsBefore: now - 30 * 86_400,
                        hoursBefore: Int64((now / 3600).rounded(.down)) - Int64(EscalationForecast.historyHours) - 24)
        return changed
    }

    /// IGNORED until a time that has come: UNRESOLVED/ONGOING.
    private static func lapseIgnoreUntilTime(_ store: some LifecycleStore, now: Double) throws -> Int {
        let due = try store.groupsIgnoredUntil(atOrBefore: now)
        for group in due {
            try store.apply(GroupTransition(groupID: group.groupID, from: GroupState(status: .ignored, substatus: .untilConditionMet)!,
                                            to: .ongoing, cause: .ignoreLapsed,
                                            detail: "ignored until \(ISOTime.format(group.until ?? 0))"), at: now)
        }
        return due.count
    }

    /// NEW, REGRESSED and ESCALATING for seven days (since creation, or the last regression or
    /// escalation): UNRESOLVED/ONGOING.
    private static func becomeOngoing(_ store: some LifecycleStore, now: Double) throws -> Int {
        let due = try store.groupsOngoingDue(clockStartedBy: now - LifecycleConfig.ongoingAfter)
        for group in due {
            let from = GroupState(status: .unresolved, substatus: group.substatus) ?? .new
            try store.apply(GroupTransition(groupID: group.groupID, from: from, to: .ongoing, cause: .ongoing,
                                            detail: "\(from.substatus.map { "\($0)" } ?? "unresolved") for 7 days"), at: now)
        }
        return due.count
    }

    /// UNRESOLVED groups of auto-resolving types, not seen for their project's `resolve_age`: RESOLVED.
    private static func autoResolve(_ store: some LifecycleStore, registry: GroupTypeRegistry, settings: EngineSettings,
                                    now: Double) throws -> Int {
        let types = registry.types.filter(\.enableAutoResolve).map(\.id)
        guard !types.isEmpty else { return 0 }
        var changed = 0
        for (project, hours) in settings.lifecycle.resolveAgeHours.sorted(by: { $0.key < $1.key }) {
            let due = try store.unresolvedGroups(of: project, types: types, lastSeenBy: now - hours * 3600)
            for group in due {
                // A damaged substatus still resolves; history records it as ongoing.
                let from = GroupState(status: .unresolved, substatus: group.substatus) ?? .ongoing
                try store.apply(GroupTransition(groupID: group.groupID, from: from, to: .resolved, cause: .autoResolve,
                                                detail: "auto-resolved by age: last seen \(ISOTime.format(group.lastSeen ?? 0)), resolve_age \(DurationText.format(hours * 3600))"),
                                at: now)
                if settings.notifyResolved { try store.notify(group.groupID, .resolved, detail: "auto-resolved by age", at: now) }
            }
            changed += due.count
        }
        return changed
    }
}
