import Foundation
import GRDB

/// The time-based rules of spec §5, run on the rule clock: at the start of every ingest, then every
/// `LifecycleConfig.ruleInterval` while `ingest --follow` or the TUI follows a spool. Rules that new
/// occurrences trigger (regression, tripped conditions, escalation) run at the ingest writer's
/// flush (`OccurrenceRules`).
enum LifecycleRules {
    /// Applies every rule due at `now`; returns how many groups changed state.
    static func run(_ db: Database, registry: GroupTypeRegistry, settings: EngineSettings, now: Double) throws -> Int {
        var changed = 0
        changed += try lapseIgnoreUntilTime(db, now: now)
        changed += try becomeOngoing(db, now: now)
        changed += try autoResolve(db, registry: registry, settings: settings, now: now)
        // Notifications are kept 30 days: long enough for any notifier to come back and catch up.
        try db.execute(sql: "DELETE FROM notification_deliveries WHERE notification_id IN (SELECT id FROM notifications WHERE at < ?)",
                       arguments: [now - 30 * 86_400])
        try db.execute(sql: "DELETE FROM notifications WHERE at < ?", arguments: [now - 30 * 86_400])
        // The forecast reads seven days before the current hour; a day more is kept as slack.
        try db.execute(sql: "DELETE FROM group_hours WHERE hour < ?",
                       arguments: [Int64((now / 3600).rounded(.down)) - Int64(EscalationForecast.historyHours) - 24])
        return changed
    }

    /// IGNORED until a time that has come: UNRESOLVED/ONGOING.
    private static func lapseIgnoreUntilTime(_ db: Database, now: Double) throws -> Int {
        let due = try Row.fetchAll(db, sql: """
            SELECT g.id, c.until_time FROM groups g JOIN ignore_conditions c ON c.group_id = g.id
            WHERE g.status = ? AND g.substatus = ? AND c.until_time IS NOT NULL AND c.until_time <= ?
            """, arguments: [GroupStatus.ignored.rawValue, GroupSubstatus.untilConditionMet.rawValue, now])
        for row in due {
            try GroupTransition(groupID: row["id"], from: GroupState(status: .ignored, substatus: .untilConditionMet)!,
                                to: .ongoing, cause: .ignoreLapsed,
                                detail: "ignored until \(ISOTime.format(row.lenient("until_time") ?? 0))").apply(db, at: now)
        }
        return due.count
    }

    /// NEW, REGRESSED and ESCALATING for seven days (since creation, or the last regression or
    /// escalation): UNRESOLVED/ONGOING.
    private static func becomeOngoing(_ db: Database, now: Double) throws -> Int {
        let states: [GroupSubstatus] = [.new, .regressed, .escalating]
        let due = try Row.fetchAll(db, sql: """
            SELECT id, substatus FROM groups
            WHERE status = ? AND substatus IN (?, ?, ?) AND coalesce(substatus_since, first_seen) <= ?
            """, arguments: StatementArguments([GroupStatus.unresolved.rawValue] + states.map(\.rawValue)) + [now - LifecycleConfig.ongoingAfter])
        for row in due {
            let from = GroupState(status: .unresolved, substatus: row.lenient("substatus").flatMap(GroupSubstatus.init(rawValue:))) ?? .new
            try GroupTransition(groupID: row["id"], from: from, to: .ongoing, cause: .ongoing,
                                detail: "\(from.substatus.map { "\($0)" } ?? "unresolved") for 7 days").apply(db, at: now)
        }
        return due.count
    }

    /// UNRESOLVED groups of auto-resolving types, not seen for their project's `resolve_age`: RESOLVED.
    private static func autoResolve(_ db: Database, registry: GroupTypeRegistry, settings: EngineSettings, now: Double) throws -> Int {
        let types = registry.types.filter(\.enableAutoResolve).map(\.id)
        guard !types.isEmpty else { return 0 }
        var changed = 0
        for (project, hours) in settings.lifecycle.resolveAgeHours.sorted(by: { $0.key < $1.key }) {
            let due = try Row.fetchAll(db, sql: """
                SELECT id, substatus, last_seen FROM groups
                WHERE project_id = ? AND status = ? AND last_seen <= ? AND type_id IN (\(types.map(String.init).joined(separator: ",")))
                """, arguments: [project, GroupStatus.unresolved.rawValue, now - hours * 3600])
            for row in due {
                // A damaged substatus still resolves; history records it as ongoing.
                let from = GroupState(status: .unresolved, substatus: row.lenient("substatus").flatMap(GroupSubstatus.init(rawValue:))) ?? .ongoing
                try GroupTransition(groupID: row["id"], from: from, to: .resolved, cause: .autoResolve,
                                    detail: "auto-resolved by age: last seen \(ISOTime.format(row.lenient("last_seen") ?? 0)), resolve_age \(DurationText.format(hours * 3600))").apply(db, at: now)
                if settings.notifyResolved { try NotificationOutbox.record(db, groupID: row["id"], reason: .resolved, at: now, detail: "auto-resolved by age") }
            }
            changed += due.count
        }
        return changed
    }
}
