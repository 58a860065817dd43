/// What a person did, recorded as analytics events and counters. Shared by the CLI and the TUI, so
/// both report the same events with the same attributes.
public struct UserActivity: Sendable {
    public let actor: Actor
    public let organizationID: Int
    public let analytics: Analytics
    public let metrics: TriageMetrics?
    let registry: GroupTypeRegistry

    public init(actor: Actor, organizationID: Int = 1, analytics: Analytics = .disabled, metrics: TriageMetrics? = nil,
                registry: GroupTypeRegistry = .builtIn) {
        self.actor = actor
        self.organizationID = organizationID
        self.analytics = analytics
        self.metrics = metrics
        self.registry = registry
    }

    /// `issue.resolved`, `issue.ignored` or `issue.unresolved` for each group that changed.
    public func statusChanged(_ results: [TransitionResult], groups: [Group], by action: StatusAction) {
        for result in results where result.to != nil {
            guard let group = groups.first(where: { $0.id == result.groupID }) else { continue }
            var attributes = attributes(of: group)
            attributes["issue_type"] = .string(registry.type(id: group.typeID)?.slug ?? String(group.typeID))
            let event: String
            switch action {
            case .resolve: event = "issue.resolved"
            case .reopen: event = "issue.unresolved"
            case let .ignore(mode):
                event = "issue.ignored"
                switch mode {
                case .forever: attributes["ignore_mode"] = "forever"
                case .untilEscalating: attributes["ignore_mode"] = "until_escalating"
                case .untilCondition: attributes["ignore_mode"] = "until_condition"
                }
            }
            analytics.record(event, attributes)
            metrics?.increment(MetricNames.statusChanges, tags: [("cause", TransitionCause.user.rawValue)], sampleRate: 1)
        }
    }

    /// `issue_tracker.used`, and the tracker-action counter.
    public func trackerUsed(_ tracker: ConfiguredTracker, on group: Group, action: String, succeeded: Bool) {
        metrics?.increment(MetricNames.trackerActions, tags: [("tracker", tracker.name), ("action", action),
                                                              ("outcome", succeeded ? "ok" : "failed")], sampleRate: 1)
        guard succeeded else { return }
        var attributes = attributes(of: group)
        attributes["issue_tracker"] = .string(tracker.identity.slug)
        attributes["action"] = .string(action)
        analytics.record("issue_tracker.used", attributes)
    }

    private func attributes(of group: Group) -> [String: AnalyticsValue?] {
        ["user_id": actor.userID.map { .string($0) }, "default_user_id": .string(actor.defaultUserID),
         "organization_id": .int(Int64(organizationID)), "project_id": .int(group.projectID), "group_id": .int(group.id)]
    }
}
