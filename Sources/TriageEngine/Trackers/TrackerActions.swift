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

    /// Files a new external issue for the group and links it. The link is claimed first, so two
    /// people filing at once make one ticket; a tracker that refuses releases the claim, and one that
    /// does not answer in time leaves it, its outcome unknown, for a person to settle.
    public func create(groupID: Int64, tracker name: String) throws -> GroupLink {
        let (tracker, ticket) = try prepare(groupID: groupID, tracker: name, action: .create)
        let claim = GroupLink.claim(groupID: groupID, tracker: tracker.name, by: activity.actor.name, at: clock.now())
        try store.claimLink(claim)
        let issue: ExternalIssue
        do {
            issue = try perform(tracker, ticket, "create") { try tracker.plugin.create(ticket) }
        } catch let error where error.outcomeUnknown {
            throw LinkError(tracker: tracker.name, reason: "\(error.reason); the ticket may or may not exist: "
                            + GroupLink.settleHint(groupID: groupID, tracker: tracker.name))
        } catch {
            try store.releaseClaim(claim)
            throw error
        }
        let link = link(to: issue, for: ticket.group, in: tracker)
        try store.completeClaim(claim, with: link)
        return link
    }

    /// Links an existing external issue, after the tracker confirms it exists.
    public func link(groupID: Int64, tracker name: String, externalID: String) throws -> GroupLink {
        let (tracker, ticket) = try prepare(groupID: groupID, tracker: name, action: .link)
        try refuseIfLinked(ticket.group, tracker)
        let issue = try perform(tracker, ticket, "link") { try tracker.plugin.link(ticket, externalID: externalID) }
        let link = link(to: issue, for: ticket.group, in: tracker)
        try store.addLink(link)
        return link
    }

    /// Removes the link; the tracker is told, and the external issue itself stays as it is.
    /// `local` removes it here only, without telling the tracker: one that is down, or gone from the
    /// config. A claim has no ticket to tell about, so it is always removed here only.
    @discardableResult
    public func unlink(groupID: Int64, tracker name: String, local: Bool = false) throws -> GroupLink {
        if local { return try store.removeLink(groupID: groupID, tracker: name) }
        let (tracker, ticket) = try prepare(groupID: groupID, tracker: name, action: .unlink)
        guard let link = try store.links(of: groupID).first(where: { $0.tracker == tracker.name }) else {
            throw StoreError.notLinked(groupID: groupID, tracker: tracker.name)
        }
        if !link.isClaim {
            _ = try perform(tracker, ticket, "unlink") { try tracker.plugin.unlink(ticket, link: link) }
        }
        return try store.removeLink(groupID: groupID, tracker: tracker.name)
    }

    /// How a link reads in its tracker's terms (`acme/backend#12`).
    public func render(_ link: GroupLink) -> String {
        if link.isClaim { return "ticket being filed or its outcome unknown (by \(link.linkedBy) at \(ISOTime.format(link.linkedAt)))" }
        return trackers.first { $0.name == link.tracker }.map { $0.plugin.render(link) } ?? link.externalID
    }

    private func prepare(groupID: Int64, tracker name: String, action: TrackerCapabilities) throws -> (ConfiguredTracker, TrackerTicket) {
        let tracker = try tracker(named: name)
        guard tracker.capabilities.contains(action) else {
            throw LinkError(tracker: name, reason: "the \(tracker.identity.slug) plugin cannot \(action.names.joined())")
        }
        let ticket = TrackerTicket(details: try store.details(of: groupID), registry: store.registry, actor: activity.actor.name)
        return (tracker, ticket)
    }

    /// Checked before the tracker is called, so a refused link costs the tracker nothing; a claim
    /// may be settled by naming its ticket.
    private func refuseIfLinked(_ group: Group, _ tracker: ConfiguredTracker) throws {
        if let existing = try store.links(of: group.id).first(where: { $0.tracker == tracker.name }), !existing.isClaim {
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
            let trackerError = error as? TrackerError
            throw LinkError(tracker: tracker.name, reason: trackerError?.description ?? "\(error)",
                            outcomeUnknown: { if case .outcomeUnknown = trackerError { true } else { false } }())
        }
    }

    private func link(to issue: ExternalIssue, for group: Group, in tracker: ConfiguredTracker) -> GroupLink {
        GroupLink(groupID: group.id, tracker: tracker.name, externalID: issue.id, url: issue.url, title: issue.title,
                  linkedBy: activity.actor.name, linkedAt: clock.now())
    }
}

/// A tracker action that failed, naming the tracker.
public struct LinkError: Error, Equatable, CustomStringConvertible {
    public let tracker: String
    public let reason: String
    /// The tracker did not answer in time: it may have done what was asked.
    public let outcomeUnknown: Bool

    public init(tracker: String, reason: String, outcomeUnknown: Bool = false) {
        self.tracker = tracker
        self.reason = reason
        self.outcomeUnknown = outcomeUnknown
    }

    public var description: String { "\(tracker): \(reason)" }
}
