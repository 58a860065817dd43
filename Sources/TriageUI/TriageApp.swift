import TriageEngine

/// The terminal UI's logic: owns the state, turns keys into state changes and store calls, and
/// renders into a `Grid`. It never touches the terminal, so tests drive it with keys against a
/// real store and read the grid.
public final class TriageApp {
    public internal(set) var state: AppState
    public private(set) var width: Int
    public private(set) var height: Int
    let store: any IssueStore
    /// Where the runner's jobs write: on the team store a connection of its own, so a write waiting on
    /// another engineer's row lock never holds up the screen's reads.
    let writer: any IssueStore
    let clock: any TriageClock
    let keymap: Keymap
    /// The theme in use (`:theme` changes it) and where themes are found.
    var theme: Theme
    let themes: ThemeCatalog
    let parser: QueryParser
    let defaultQuery: GroupQuery
    /// Queries run here and in earlier sessions (the runner loads and saves them), newest last.
    public var queryHistory: [String] = []
    /// Names the followed spool on an empty list ("no issues yet — watching SPOOL").
    public func watch(_ spool: String?) { state.watching = spool }

    /// The team store went away (true) or is back (false); the runner then calls `dataChanged` to catch up.
    public func setStoreUnreachable(_ unreachable: Bool) {
        guard unreachable != state.storeUnreachable else { return }
        state.storeUnreachable = unreachable
        guard !unreachable else { return }
        // Said briefly; the catch-up's `countNotifications` adds what arrived meanwhile, from the bell's own count.
        catchingUp = true
        showBriefly(Message(kind: .info, text: Self.storeIsBack))
    }

    static let storeIsBack = "the team store is back"
    /// Seconds a brief message stays on the status line when no key clears it sooner.
    public static let briefMessageSeconds = 5.0
    /// The store came back and the notifications that arrived meanwhile are still to be counted.
    var catchingUp = false

    /// A message that clears by itself after `briefMessageSeconds`, or at the next key as every message does.
    public func showBriefly(_ message: Message) {
        state.message = message
        state.messageExpiresAt = clock.now() + Self.briefMessageSeconds
    }

    /// Clears a brief message whose time is up; true if the screen changed (the runner asks once a second).
    @discardableResult
    public func expireMessage() -> Bool {
        guard let at = state.messageExpiresAt, clock.now() >= at else { return false }
        state.message = nil
        return true
    }

    /// Whether the follower is working through the spool's backlog (the header says "ingesting…").
    public func setIngesting(_ ingesting: Bool) { state.ingesting = ingesting }

    /// Files the followed spool holds that are not ingested yet, and files moved to `failed/` since
    /// the UI opened (the header: "ingesting · 1,234 files waiting · 2 failed").
    public func setBacklog(waiting: Int, failed: Int) {
        state.filesWaiting = max(0, waiting)
        state.filesFailed = max(0, failed)
    }

    /// Distinct users of groups shown since the last data change (`readTrends`).
    var userCounts: [Int64: Int] = [:]
    /// The open details' lines, built once per change rather than per frame (`detailLines`).
    var detailLinesCache = DetailLinesCache()

    /// The open details as lines at the screen's width: scrolling and searching reuse them.
    func detailLines(_ detail: DetailState) -> [[Span]] {
        let now = clock.now()
        let key = DetailLinesCache.Key(revision: detail.revision, width: width, unicode: state.unicode,
                                       second: now.isFinite ? Int64(now.rounded(.down)) : 0)
        return detailLinesCache.lines(for: key) {
            DetailView.lines(detail, unicode: state.unicode, registry: store.registry, now: now, width: width)
        }
    }

    /// The id the next job for the runner gets.
    var nextJob = 1
    /// Store writes asked for and not yet started, oldest first, and the one under way.
    var writeQueue: [StoreWrite] = []
    var writeInFlight: (id: Int, write: StoreWrite)?
    /// How many store writes have been asked for since the UI opened: the runner gives a key that
    /// asked for one a moment to land it (`TuiRunner.awaitWrites`), and other keys none.
    public internal(set) var writesRequested = 0
    /// The tracker call under way, and the group it concerns.
    var trackerInFlight: (id: Int, groupID: Int64)?
    /// Projects of the groups read so far: `project:` completes from these.
    var seenProjects: Set<Int64> = []
    /// What the last kill in any input line removed (`Ctrl-Y` yanks it).
    var killBuffer = ""
    /// Where counting notifications for `state.alerts` has reached; nil until the store is first read.
    var notifications: NotificationCursor?
    /// The status changes and assignments made here since the UI opened, newest last, for `u`.
    var undoStack: [UndoEntry] = []
    /// The store was opened for reading only: commands that write it say so instead.
    let readOnly: Bool
    /// The configured issue trackers (`L`), if any.
    let trackers: TrackerActions?
    /// Records what the user does (analytics events, counters).
    let activity: UserActivity?

    public init(store: any IssueStore, writer: (any IssueStore)? = nil, clock: any TriageClock = SystemClock(), keymap: Keymap = .default,
                theme: Theme = .default, themes: ThemeCatalog = ThemeCatalog(userDirectory: nil), query: String = "is:unresolved", mouse: Bool = true, following: Bool? = nil,
                width: Int = 120, height: Int = 40, trackers: TrackerActions? = nil, activity: UserActivity? = nil,
                countCap: Int = TriageApp.defaultCountCap, keystrokeBudget: Double = TriageApp.defaultKeystrokeBudget,
                unicode: Bool = true, readOnly: Bool = false, storeReachable: Bool = true) throws {
        self.store = store
        self.writer = writer ?? store
        self.readOnly = readOnly
        self.countCap = max(1, countCap)
        self.keystrokeBudget = keystrokeBudget
        self.trackers = trackers
        self.activity = activity
        self.clock = clock
        self.keymap = keymap
        self.theme = theme
        self.themes = themes
        parser = QueryParser(registry: store.registry, me: activity?.actor.name)
        defaultQuery = try parser.parse("is:unresolved")
        state = AppState(list: ListState(query: try parser.parse(query)), following: following)
        state.mouseEnabled = mouse
        state.unicode = unicode
        self.width = width
        self.height = height
        // A team store away at start: the screen opens empty, saying so, and reads once it answers.
        guard storeReachable else {
            state.storeUnreachable = true
            return
        }
        notifications = NotificationCursor(after: try store.latestNotificationID())
        try reload()
    }

    /// Rows available for the list between the header lines and the status line.
    var pageHeight: Int { max(1, height - 3) }

    public func resize(width: Int, height: Int) throws {
        self.width = width
        self.height = height
        try reload()
    }

    /// Counts stop at this many groups (or twice the depth the view has reached, if more): counting a
    /// million matches on every keystroke would cost ~100 ms, a capped count costs about a millisecond.
    public static let defaultCountCap = 10_000
    let countCap: Int
    /// Seconds a keystroke in the query line may spend on the store (`reloadWithinKeystrokeBudget`).
    let keystrokeBudget: Double

    /// Reads the window around the selection from the store. Moving within the same result
    /// (`recount: false`) reuses the count, unless the view nears the end of a capped one.
    func reload(recount: Bool = true) throws {
        var list = state.list
        if recount || (!list.totalIsExact && list.selected + pageHeight >= list.total) {
            try count(&list, exactly: false)
        }
        list.selected = min(max(0, list.selected), max(0, list.total - 1))
        if list.selected < list.offset { list.offset = list.selected }
        if list.selected >= list.offset + pageHeight { list.offset = list.selected - pageHeight + 1 }
        list.offset = max(0, min(list.offset, max(0, list.total - pageHeight)))
        if list.offset == 0 { list.newAbove = 0 }
        if list.ascending {
            // Read from the other end of the store's order: the count is exact in this order (`count`).
            let limit = max(0, min(pageHeight, list.total - list.offset))
            list.rows = try store.groups(matching: list.query, sort: list.sort, limit: limit, offset: max(0, list.total - list.offset - limit)).reversed()
        } else {
            list.rows = try store.groups(matching: list.query, sort: list.sort, limit: pageHeight, offset: list.offset)
        }
        list.storeIsEmpty = false
        if list.total == 0 { list.storeIsEmpty = list.query.terms.isEmpty ? true : try store.countGroups(matching: .all, upTo: 1) == 0 }
        list.loaded = true
        seenProjects.formUnion(list.rows.map(\.projectID))
        try readTrends(&list)
        // Whatever asked for this read (a resize, a key for the list), the results are in now.
        list.searching = false
        state.list = list
        state.refreshedAt = clock.now()
    }

    /// New data arrived (the follower ingested something): re-read, keeping the selection on the same
    /// group. Scrolled away, the view stays put and counts what arrived above; at the top, new groups
    /// simply appear there.
    ///
    /// `keyWaiting` (the run loop polls the terminal) ends the re-read as soon as a key is typed.
    public func dataChanged(givingWayWhen keyWaiting: @escaping @Sendable () -> Bool = { false }) throws {
        // A search still under way re-reads the list when it finishes; re-reading now would block.
        // Otherwise the re-read has a keystroke's budget too, and past it finishes as a search does,
        // giving way to keys: in a flood, re-reading a free-text query after every pass held up
        // the keys typed meanwhile (45–60 ms for "type" on a million groups, bench-ui --follow).
        // A key typed within the budget ends it too: waiting out the refresh's budget and then
        // spending its own, such a key took up to 21 ms.
        userCounts.removeAll()
        if !state.list.searching { try withinKeystrokeBudget(or: keyWaiting) { try relist() } }
        try countNotifications()
        if let detail = state.detail {
            // Stay on the occurrence being read: new ones arrive at index 0 and push it back.
            let id = detail.details.group.id
            var details = try store.details(of: id, occurrence: detail.occurrence)
            let arrived = details.occurrenceCount - detail.details.occurrenceCount
            if detail.occurrence > 0, arrived > 0 { details = try store.details(of: id, occurrence: detail.occurrence + arrived) }
            state.detail?.details = details
            // Someone's note lands at the end of the history, likely below the view: say so until it is seen.
            let known = detail.details.notes
            state.detail?.unseenNotes += details.notes.filter { !known.contains($0) && $0.author != activity?.actor.name }.count
            markNotesSeen()
            try readTrend(ofDetail: id)
        }
    }

    private func relist() throws {
        let previous = state.list.selectedGroup
        let previousIndex = state.list.selected
        let previousTotal = state.list.total
        if let previous, let index = try position(of: previous.id) {
            let shift = index - previousIndex
            state.list.selected = index
            if state.list.offset > 0 {
                state.list.offset += shift
                state.list.newAbove += max(0, shift)
            }
        }
        try reload()
        if previous == nil, state.list.offset > 0 { state.list.newAbove += max(0, state.list.total - previousTotal) }
    }

    /// New notifications ring the bell once and say what arrived: the one, or, catching up on many,
    /// how many of each kind (a backlog of 1,204 new issues is one line, not 1,204 rings). Someone
    /// else assigning a group to `me` counts too, named on the status line ("P1-3 assigned to you
    /// by alice"); other assignments show in the list and history only. The message counts exactly
    /// what the bell added, so the two never disagree.
    private func countNotifications() throws {
        // Whatever the store held before this screen first read it is not news, as at a normal start.
        guard var cursor = notifications else {
            notifications = NotificationCursor(after: try store.latestNotificationID())
            catchingUp = false
            return
        }
        var arrived = try cursor.read(from: store, now: clock.now())
        notifications = cursor
        let toMe = arrived.filter(isAssignmentToMe)
        arrived.removeAll { $0.reason == .assigned }
        let back = catchingUp
        catchingUp = false
        guard !arrived.isEmpty || !toMe.isEmpty else { return }
        state.alerts += arrived.count + toMe.count
        state.effects.append(.bell)
        // Arrivals still on the status line are counted again with these, so it names the newest.
        let earlier = arrivalLine.flatMap { state.message == $0.message ? $0.notifications : nil }
        let shown = (earlier ?? []) + arrived
        var parts: [String] = []
        if let assigned = assignedToMeText(toMe) { parts.append(assigned) }
        if let summary = arrivalsText(back ? arrived : shown, catchingUp: !back && arrived.count > 1) { parts.append(summary) }
        guard !parts.isEmpty else { return }
        if back {
            let total = state.alerts == arrived.count + toMe.count ? "" : " (🔔 \(GroupPresentation.count(state.alerts)) in all)"
            showBriefly(Message(kind: .info, text: "\(Self.storeIsBack); while it was away: \(parts.joined(separator: " · "))\(total)"))
            arrivalLine = nil
            return
        }
        let message = Message(kind: .info, text: parts.joined(separator: " · "))
        if state.message == nil || earlier != nil || !toMe.isEmpty {
            state.message = message
            arrivalLine = (message, shown)
        } else {
            // A message the user is reading stays, unless a group was just handed to them; `:messages` keeps this one.
            state.log(message)
        }
    }

    /// The arrivals line on the status line and the notifications it counts.
    private var arrivalLine: (message: Message, notifications: [TriageNotification])?

    /// An `assigned` notification handing a group to `me`, by someone else.
    private func isAssignmentToMe(_ notification: TriageNotification) -> Bool {
        guard notification.reason == .assigned, let me = activity?.actor.name,
              let parties = AssignmentChange.parties(ofNotice: notification.detail), let to = parties.to else { return false }
        return AssignmentChange.name(to) == AssignmentChange.name(me) && parties.by != me
    }

    /// "P1-3 assigned to you by alice", or for several "3 groups assigned to you (P1-3, P1-4, P1-9)".
    private func assignedToMeText(_ notifications: [TriageNotification]) -> String? {
        guard let last = notifications.last else { return nil }
        let named = notifications.compactMap { try? store.group(String($0.groupID)).shortID }
        if notifications.count == 1, let parties = AssignmentChange.parties(ofNotice: last.detail) {
            return "🔔 \(named.first ?? String(last.groupID)) assigned to you by \(TerminalText.sanitize(parties.by))"
        }
        let shown = named.prefix(3).joined(separator: ", ") + (named.count > 3 ? ", …" : "")
        return "🔔 \(notifications.count) groups assigned to you (\(shown))"
    }

    /// What arrived besides assignments: the one, or how many of each kind.
    private func arrivalsText(_ arrived: [TriageNotification], catchingUp: Bool) -> String? {
        guard let newest = arrived.last else { return nil }
        let names: [NotificationReason: (one: String, many: String)] = [
            .newGroup: ("new issue", "new issues"), .regression: ("regressed", "regressed"),
            .escalation: ("escalating", "escalating"), .resolved: ("resolved", "resolved"),
        ]
        if arrived.count == 1, let group = try? store.group(String(newest.groupID)) {
            return "🔔 \(names[newest.reason]!.one): \(group.shortID) \(TerminalText.sanitize(group.title))"
        }
        let counts = NotificationReason.allCases.compactMap { reason -> String? in
            let count = arrived.filter { $0.reason == reason }.count
            return count == 0 ? nil : "\(GroupPresentation.count(count)) \(count == 1 ? names[reason]!.one : names[reason]!.many)"
        }
        let key = keymap.keys(for: .acknowledge).first.map { " · \($0) acknowledges" } ?? ""
        let latest = (try? store.group(String(newest.groupID))).map { ", newest \($0.shortID) \(TerminalText.sanitize($0.title))" } ?? ""
        return "🔔 \(counts.joined(separator: ", "))\(catchingUp ? " while catching up" : "")\(latest)\(key)"
    }

    /// New notes count as seen once the end of the details, where they are, is in view.
    func markNotesSeen() {
        guard let detail = state.detail, detail.unseenNotes > 0 else { return }
        if detail.scroll >= DetailView.maxScroll(lineCount: detailLines(detail).count, height: height) { state.detail?.unseenNotes = 0 }
    }

    /// The effects requested since the last call (clipboard, mouse, theme), for the driver.
    public func takeEffects() -> [Effect] {
        defer { state.effects.removeAll() }
        return state.effects
    }

    /// Shows a message from outside the UI (the follower's refusals, for instance).
    public func show(_ message: Message) {
        state.message = message
    }

    func move(to index: Int) throws {
        state.list.selected = index
        try reload(recount: false)
    }

    /// Jumps to the last group, which needs the whole count.
    func moveToBottom() throws {
        if !state.list.totalIsExact { try count(&state.list, exactly: true) }
        try move(to: state.list.total - 1)
    }

    /// Where a group is in the list's order, or nil when the query does not match it. Reversed, the
    /// place counts from the other end, which needs the whole count (the price of a reversed order
    /// on a large store: about 100 ms a million groups per read).
    func position(of groupID: Int64) throws -> Int? {
        let list = state.list
        guard let forward = try store.position(of: groupID, matching: list.query, sort: list.sort) else { return nil }
        guard list.ascending else { return forward }
        return try store.countGroups(matching: list.query, upTo: nil) - 1 - forward
    }

    /// The sparkline and users of the rows on the page, from the store's hourly counts: one query for
    /// the page, whatever the store holds. Skipped while the terminal is too narrow to show them.
    private func readTrends(_ list: inout ListState) throws {
        let columns = ListView.Columns(width: width, shortIDs: state.showShortIDs)
        let ids = list.rows.map(\.id)
        list.trends = columns.trend > 0 ? try store.hourlyCounts(of: ids, hours: ListView.trendHours, through: currentHour) : [:]
        guard columns.users > 0 else {
            list.users = [:]
            return
        }
        // Users change only with new data: a move re-counts only the groups it brings into view.
        let missing = ids.filter { userCounts[$0] == nil }
        if !missing.isEmpty { userCounts.merge(try store.userCounts(of: missing, upTo: ListView.userCountCap)) { $1 } }
        if userCounts.count > 10 * pageHeight { userCounts = userCounts.filter { ids.contains($0.key) } }
        list.users = userCounts.filter { ids.contains($0.key) }
    }

    /// Opens the details of `groupID`, showing the state a write on its way will give it.
    func openDetails(of groupID: Int64) throws {
        state.detail = DetailState(details: try store.details(of: groupID), pendingState: state.pendingStates[groupID])
        try readTrend(ofDetail: groupID)
    }

    /// The open group's seven days of hourly counts, and its forecast when it waits for escalation.
    func readTrend(ofDetail groupID: Int64) throws {
        guard let detail = state.detail, detail.details.group.id == groupID else { return }
        state.detail?.hours = try store.hourlyCounts(of: [groupID], hours: EscalationForecast.historyHours, through: currentHour)[groupID] ?? []
        state.detail?.outlook = detail.details.group.state.substatus == .untilEscalating ? try store.escalationForecast(of: groupID) : nil
    }

    var currentHour: Int64 { Int64((clock.now() / 3600).rounded(.down)) }

    private func count(_ list: inout ListState, exactly: Bool) throws {
        let exactly = exactly || list.ascending
        // One past the cap tells a capped count from an exact one. A needle found by scanning counts
        // only as deep as the view has gone: its first page is a few hundred rows in, but 10,000
        // matches of a needle one group in a hundred holds are the whole table.
        let depth = 2 * (list.selected + pageHeight)
        let cap = exactly ? nil : (try store.scansFreeText(list.query) ? depth : max(countCap, depth)) + 1
        let counted = try store.countGroups(matching: list.query, upTo: cap)
        list.totalIsExact = cap.map { counted < $0 } ?? true
        list.total = cap.map { min(counted, $0 - 1) } ?? counted
    }
}
