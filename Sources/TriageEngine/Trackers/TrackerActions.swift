/// Creating, linking and unlinking external issues: the plugin does the tracker's side, the store
/// keeps the link, and the use is recorded (`issue_tracker.used`). Shared by the CLI and the TUI.
public struct TrackerActions: Sendable {
    public let store: any IssueStore
    public let trackers: [ConfiguredTracker]
    public let activity: UserActivity
    let clock: any TriageClock

    public init(store: any IssueStore, trackers: [ConfiguredTracker], activity: UserActivity, clock: any TriageClock = SystemClock()) {
        self.store = store
        self.trackers = trackers
        self.activity = activity
        self.clock = clock
    }

    public func tracker(named name: String) throws(LinkError) -> ConfiguredTracker {
        guard let tracker = trackers.first(where: { $0.name == name }) else {
            let configured = trackers.isEmpty ? "none is configured; add a [plugins.NAME] table to the config"
                                              : "configured: \(trackers.map(\.name).joined(separator: ", "))"
            throw LinkError(tracker: name, reason: "no such tracker (\(configured))")
        }
        return tracker
    }

    /// Files a new external issue for the group and links it.
    public func create(groupID: Int64, tracker name: String) throws -> GroupLink {
        let (tracker, ticket) = try prepare(groupID: groupID, tracker: name, action: .create)
        try refuseIfLinked(ticket.group, tracker)
        let issue = try perform(tracker, ticket, "create") { try tracker.plugin.create(ticket) }
        return try store(issue, for: ticket.group, in: tracker)
    }

    /// Links an existing external issue, after the tracker confirms it exists.
    public func link(groupID: Int64, tracker name: String, externalID: String) throws -> GroupLink {
        let (tracker, ticket) = try prepare(groupID: groupID, tracker: name, action: .link)
        try refuseIfLinked(ticket.group, tracker)
        let issue = try perform(tracker, ticket, "link") { try tracker.plugin.link(ticket, externalID: externalID) }
        return try store(issue, for: ticket.group, in: tracker)
    }

    /// Removes the link; the tracker is told, and the external issue itself stays as it is.
    @discardableResult
    public func unlink(groupID: Int64, tracker name: String) throws -> GroupLink {
        let (tracker, ticket) = try prepare(groupID: groupID, tracker: name, action: .unlink)
        guard let link = try store.links(of: groupID).first(where: { $0.tracker == tracker.name }) else {
            throw StoreError.notLinked(groupID: groupID, tracker: tracker.name)
        }
        _ = try perform(tracker, ticket, "unlink") { try tracker.plugin.unlink(ticket, link: link) }
        return try store.removeLink(groupID: groupID, tracker: tracker.name)
    }

    /// How a link reads in its tracker's terms (`acme/backend#12`).
    public func render(_ link: GroupLink) -> String {
        trackers.first { $0.name == link.tracker }.map { $0.plugin.render(link) } ?? link.externalID
    }

    private func prepare(groupID: Int64, tracker name: String, action: TrackerCapabilities) throws -> (ConfiguredTracker, TrackerTicket) {
        let tracker = try tracker(named: name)
        guard tracker.capabilities.contains(action) else {
            throw LinkError(tracker: name, reason: "the \(tracker.identity.slug) plugin cannot \(action.names.joined())")
        }
        let ticket = TrackerTicket(details: try store.details(of: groupID), registry: store.registry, actor: activity.actor.name)
        return (tracker, ticket)
    }

    /// Checked before the tracker is called, so a refused link never leaves an orphan ticket behind.
    private func refuseIfLinked(_ group: Group, _ tracker: ConfiguredTracker) throws {
        if let existing = try store.links(of: group.id).first(where: { $0.tracker == tracker.name }) {
            throw StoreError.alreadyLinked(groupID: group.id, tracker: tracker.name, externalID: existing.externalID)
        }
    }

    private func perform<Result>(_ tracker: ConfiguredTracker, _ ticket: TrackerTicket, _ action: String,
                                 _ body: () throws -> Result) throws(LinkError) -> Result {
        do {
            let result = try body()
            activity.trackerUsed(tracker, on: ticket.group, action: action, succeeded: true)
            return result
        } catch {
            activity.trackerUsed(tracker, on: ticket.group, action: action, succeeded: false)
            throw LinkError(tracker: tracker.name, reason: (error as? TrackerError)?.description ?? "\(error)")
        }
    }

    private func store(_ issue: ExternalIssue, for group: Group, in tracker: ConfiguredTracker) throws -> GroupLink {
        let link = GroupLink(groupID: group.id, tracker: tracker.name, externalID: issue.id, url: issue.url, title: issue.title,
                             linkedBy: activity.actor.name, linkedAt: clock.now())
        try store.addLink(link)
        return link
    }
}

/// A tracker action that failed, naming the tracker.
public struct LinkError: Error, Equatable, CustomStringConvertible {
    public let tracker: String
    public let reason: String

    public var description: String { "\(tracker): \(reason)" }
}
