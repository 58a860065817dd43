/// What the CLI and the TUI need from a store. SQLite implements it today; the team mode's shared
/// PostgreSQL store will implement the same contract.
public protocol IssueStore: Sendable {
    var registry: GroupTypeRegistry { get }

    /// Groups matching `query`, in `sort` order, a page at a time (`limit` nil means all).
    func groups(matching query: GroupQuery, sort: GroupSort, limit: Int?, offset: Int) throws -> [Group]
    /// How many groups match, counting no further than `limit` (nil: all). A capped count costs what
    /// the cap costs, not what the store holds: the UI counts a million groups only when asked to.
    func countGroups(matching query: GroupQuery, upTo limit: Int?) throws -> Int
    /// Whether a free-text needle of `query` is found by scanning the list, so that counting past
    /// the first pages of matches may read every group (a common needle of one or two letters).
    func scansFreeText(_ query: GroupQuery) throws -> Bool
    /// Where a group stands in `sort` order among the groups matching `query` (0-based), or nil if it
    /// does not match. Lets a paged view keep its selection on a group while others arrive.
    func position(of groupID: Int64, matching query: GroupQuery, sort: GroupSort) throws -> Int?
    /// A group by numeric id or short id (`P1-3F`); throws `StoreError.groupNotFound`.
    func group(_ reference: String) throws -> Group
    /// A group's details with one of its occurrences: 0 is the newest, 1 the one before, and so on
    /// (clamped to the oldest).
    func details(of groupID: Int64, occurrence: Int) throws -> GroupDetails
    /// Occurrences held below their type's noise limit, by grouping key, newest first (spec §4: triage
    /// keeps them rather than dropping them).
    func noiseHeld(limit: Int?) throws -> [NoiseHeldKey]
    /// Events per hour for each group (`SQLiteStore+Trends`): `hours` counts, oldest first, the last for
    /// `hour` (`floor(time / 3600)`); hours without events are zeros. Kept eight days back.
    func hourlyCounts(of groupIDs: [Int64], hours: Int, through hour: Int64) throws -> [Int64: [Int]]
    /// Distinct users each group has seen, counting no further than `cap` per group.
    func userCounts(of groupIDs: [Int64], upTo cap: Int) throws -> [Int64: Int]
    /// The current hour's count against the escalation forecast (`EscalationForecast`) it must exceed.
    func escalationForecast(of groupID: Int64) throws -> EscalationOutlook
    /// Notifications recorded after `id`, oldest first (0: from the start).
    func notifications(after id: Int64, limit: Int) throws -> [TriageNotification]
    /// The newest notification's id, or 0.
    func latestNotificationID() throws -> Int64
    /// How many groups matching `query` each type has, most first.
    func typeCounts(matching query: GroupQuery) throws -> [(typeID: Int, count: Int)]
    /// Applies one action to every group, all or nothing; throws `StoreError.illegalTransition`
    /// naming the first group the action does not apply to.
    func apply(_ action: StatusAction, to groupIDs: [Int64], actor: String?) throws -> [TransitionResult]
    /// Sets the priority by hand (25 low, 50 medium, 75 high) and locks it: newer occurrences no
    /// longer change it. `nil` unlocks it again, so the next occurrence sets it. All groups or none.
    /// Each change is recorded in the group's history with `actor` and the time; a group that already
    /// had this priority records nothing (its change has `changed` false).
    @discardableResult
    func setPriority(_ priority: Int?, of groupIDs: [Int64], actor: String) throws -> [PriorityChange]
    /// Undoes `results` (from `apply`): each group that is still in the state the change left it in
    /// goes back to where it was, ignore condition included; the others are left alone and returned
    /// as refused. Recorded in the history as `undo`.
    func revert(_ results: [TransitionResult], actor: String?) throws -> (reverted: [TransitionResult], changedSince: [Int64])
    /// The group's issue-tracker links, oldest first.
    func links(of groupID: Int64) throws -> [GroupLink]
    /// Records a link; refuses a second link to the same tracker (`StoreError.alreadyLinked`) but
    /// replaces a claim.
    func addLink(_ link: GroupLink) throws
    /// Claims the link before a ticket is filed (`StoreError.linkClaimed` or `alreadyLinked` if taken).
    func claimLink(_ claim: GroupLink) throws
    /// Turns a claim into the link (`StoreError.claimLost` if it was cleared or replaced meanwhile).
    func completeClaim(_ claim: GroupLink, with link: GroupLink) throws
    /// Drops a claim whose ticket was not filed.
    func releaseClaim(_ claim: GroupLink) throws
    /// Removes the group's link to `tracker` and returns it (`StoreError.notLinked` if none).
    @discardableResult
    func removeLink(groupID: Int64, tracker: String) throws -> GroupLink

    /// Sets the assignee of every group (nil: nobody), all or none: a name `AssigneeName.validate`
    /// refuses throws its `TeamInputError`, and `StoreError.groupNotFound` names the first group that
    /// does not exist, before anything is written. Each group whose assignee changes gets an
    /// assignment entry in its history (`actor`, the store's clock) and an `assigned` notification
    /// ("assigned to alice by bob") in the same transaction; a
    /// group that already has it is returned with `changed` false and records nothing. Returns one
    /// change per id, in order. On SQLite `actor` is the caller's (`$TRIAGE_USER`, else the login name).
    @discardableResult
    func assign(_ groupIDs: [Int64], to assignee: String?, actor: String) throws -> [AssignmentChange]
    /// Adds a note by `author` to the group's history at the store's clock and returns it, its text
    /// as `NoteText.validate` returns it (trimmed), or throws that `TeamInputError`;
    /// `StoreError.groupNotFound` if the group does not exist.
    @discardableResult
    func addNote(_ text: String, to groupID: Int64, author: String) throws -> GroupNote
    /// Names that groups are or were assigned to, most used first, at most `limit`: what the UI's
    /// prompt and `assigned:` offer to complete.
    func assignees(limit: Int) throws -> [String]
    /// Every project id some group has, smallest first (past `limit`, `limit` of them): what
    /// `project:` completes.
    func projectIDs(limit: Int) throws -> [Int64]
}

extension IssueStore {
    public func countGroups(matching query: GroupQuery) throws -> Int { try countGroups(matching: query, upTo: nil) }
    public func details(of groupID: Int64) throws -> GroupDetails { try details(of: groupID, occurrence: 0) }

    /// For a store without a faster way: one read per project, each leaving out those found.
    public func projectIDs(limit: Int) throws -> [Int64] {
        let parser = QueryParser(registry: registry)
        var found: [Int64] = []
        while found.count < limit {
            let query = try parser.parse(found.isEmpty ? "" : "!project:" + found.map(String.init).joined(separator: ","))
            guard let next = try groups(matching: query, sort: .lastSeen, limit: 1, offset: 0).first else { break }
            found.append(next.projectID)
        }
        return found.sorted()
    }
}

/// Where a group stands against its escalation forecast this hour.
public struct EscalationOutlook: Sendable, Equatable {
    public let thisHour: Int
    public let forecast: Int

    public init(thisHour: Int, forecast: Int) {
        self.thisHour = thisHour
        self.forecast = forecast
    }
}

/// A grouping key whose occurrences are held as noise.
public struct NoiseHeldKey: Sendable, Equatable {
    public let projectID: Int64
    public let fingerprint: String
    public let typeID: Int
    /// Held occurrences, in all windows.
    public let held: Int
    /// Occurrences counted in the current window, toward the type's `ignore_limit`; 0 once the window
    /// has expired (the next occurrence starts a new one).
    public let windowCount: Int
    public let firstSeen: Double
    public let lastSeen: Double
    /// The newest held occurrence's title ("" if its payload is not kept).
    public let title: String

    package init(projectID: Int64, fingerprint: String, typeID: Int, held: Int, windowCount: Int, firstSeen: Double, lastSeen: Double,
                 title: String) {
        self.projectID = projectID
        self.fingerprint = fingerprint
        self.typeID = typeID
        self.held = held
        self.windowCount = windowCount
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.title = title
    }
}

/// A group with what its details view shows.
public struct GroupDetails: Sendable {
    public let group: Group
    /// The chosen occurrence's payload exactly as it was received (the newest unless asked otherwise).
    public let payload: [UInt8]?
    /// Which occurrence `payload` is (0 = newest) and how many the group has.
    public let occurrenceIndex: Int
    public let occurrenceCount: Int
    public let history: [StatusHistoryEntry]
    /// Changes of assignee, oldest first (`timeline` merges them with `history` and `notes`).
    public let assignments: [AssignmentChange]
    /// Notes, oldest first.
    public let notes: [GroupNote]
    /// Priorities set by hand (or back to automatic), oldest first.
    public let priorities: [PriorityChange]
    public let ignoreCondition: IgnoreCondition?
    public let links: [GroupLink]

    package init(group: Group, payload: [UInt8]?, occurrenceIndex: Int, occurrenceCount: Int, history: [StatusHistoryEntry],
                 assignments: [AssignmentChange], notes: [GroupNote], ignoreCondition: IgnoreCondition?, links: [GroupLink],
                 priorities: [PriorityChange] = []) {
        self.group = group
        self.payload = payload
        self.occurrenceIndex = occurrenceIndex
        self.occurrenceCount = occurrenceCount
        self.history = history
        self.assignments = assignments
        self.notes = notes
        self.priorities = priorities
        self.ignoreCondition = ignoreCondition
        self.links = links
    }
}

public struct TransitionResult: Sendable, Equatable {
    public let groupID: Int64
    public let from: GroupState
    /// Nil when the group already was in the target state.
    public let to: GroupState?
    /// The ignore condition in force before the change, so it can be undone exactly.
    public let previousIgnoreCondition: IgnoreCondition?

    public init(groupID: Int64, from: GroupState, to: GroupState?, previousIgnoreCondition: IgnoreCondition? = nil) {
        self.groupID = groupID
        self.from = from
        self.to = to
        self.previousIgnoreCondition = previousIgnoreCondition
    }
}
