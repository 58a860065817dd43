/// The rules new occurrences trigger, run at the flush once a group's counts are written (spec §5):
/// a resolved group regresses; an ignored one escalates when its condition trips or, ignored until
/// escalating, when this hour beats its forecast. Every change goes through `GroupTransition`.
final class OccurrenceRules {
    private let session: any IngestSession
    private let registry: GroupTypeRegistry
    private let settings: EngineSettings
    /// Transitions new occurrences caused, for the pass's summary.
    private(set) var regressions = 0
    private(set) var escalations = 0

    init(session: any IngestSession, registry: GroupTypeRegistry, settings: EngineSettings) {
        self.session = session
        self.registry = registry
        self.settings = settings
    }

    func apply(to groupID: Int64, standing: GroupStanding, newest: LatestFields, at now: Double) throws {
        let reference = newest.detectionTime
        switch (standing.status, standing.substatus) {
        case (.resolved?, _):
            if try session.regress(groupID, at: now) {
                regressions += 1
                try notify(groupID, .regression, newest: newest, at: now)
            }
        case (.ignored?, .untilConditionMet?):
            guard let snapshot = try session.ignoreSnapshot(of: groupID),
                  let tripped = try IgnoreConditionCheck.trippedCondition(session, groupID: groupID, timesSeen: standing.timesSeen,
                                                                           snapshot: snapshot, reference: reference)
            else { break }
            try escalate(groupID, from: .untilConditionMet, detail: tripped, newest: newest, at: now)
        case (.ignored?, .untilEscalating?):
            if let exceeded = try escalationCheck(groupID: groupID, firstSeen: standing.firstSeen, reference: reference) {
                try escalate(groupID, from: .untilEscalating, detail: exceeded, newest: newest, at: now)
            }
        default:
            break
        }
    }

    private func escalate(_ groupID: Int64, from substatus: GroupSubstatus, detail: String, newest: LatestFields, at now: Double) throws {
        try session.apply(GroupTransition(groupID: groupID, from: GroupState(status: .ignored, substatus: substatus)!,
                                          to: .escalating, cause: .escalating, detail: detail), at: now)
        try notify(groupID, .escalation, newest: newest, detail: detail, at: now)
        escalations += 1
    }

    /// Records a notification when the group's type may be post-processed in its project.
    private func notify(_ groupID: Int64, _ reason: NotificationReason, newest: LatestFields, detail: String? = nil, at now: Double) throws {
        guard let type = registry.type(id: newest.typeID), settings.flags.allows(.postProcess, type: type, project: newest.projectID) else { return }
        try session.notify(groupID, reason, detail: detail, at: now)
    }

    /// Nil, or why the hour of `reference` beats the group's forecast.
    private func escalationCheck(groupID: Int64, firstSeen: Double, reference: Double) throws -> String? {
        let hour = Int64((reference / 3600).rounded(.down))
        var counts = try session.hourlyCounts(of: groupID, hours: (hour - Int64(EscalationForecast.historyHours))...hour)
        let current = counts.removeValue(forKey: hour) ?? 0
        let forecast = EscalationForecast.forecast(history: Array(counts.values), groupAge: reference - firstSeen,
                                                   floor: settings.lifecycle.escalationFloor)
        guard EscalationForecast.escalates(currentHour: current, forecast: forecast) else { return nil }
        return "\(current) occurrences this hour, forecast \(forecast)"
    }
}
