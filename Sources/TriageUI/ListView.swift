import TriageEngine

/// The issue list: header, column titles, one row per group, status line (drawn by `Screen`).
enum ListView {
    /// Hours the LAST 24H column covers, and where a USERS count stops (`1,000+`): counting a page of
    /// groups with 100,000 users each would cost a keystroke's budget.
    static let trendHours = 24
    static let userCountCap = 1_000

    /// Column widths for a terminal width. As it narrows, TREND and USERS go first, then CULPRIT,
    /// ASSIGNEE, PROJ, TYPE, LAST SEEN and EVENTS; the title takes what is left.
    struct Columns {
        let type: Int
        let title: Int
        let culprit: Int
        let project: Int
        let priority: Int
        let events: Int
        let lastSeen: Int
        /// The short id (`P1-3F`), when asked for (`:columns id`); it gives way before the title does.
        let shortID: Int
        /// The last 24 hours as a sparkline, a cell per two hours (per hour when very wide).
        let trend: Int
        let users: Int
        /// Who has the group (`a` assigns); empty for nobody.
        let assignee: Int

        init(width: Int, shortIDs: Bool = false) {
            shortID = shortIDs && width >= 50 ? 8 : 0
            trend = width >= 200 ? ListView.trendHours : width >= 140 ? ListView.trendHours / 2 : 0
            users = width >= 140 ? 6 : 0
            let trendRoom = trend > 0 ? trend + users + 2 : 0
            culprit = width >= 130 ? min(40, (width - 90 - trendRoom) / 2) : 0
            assignee = width >= 125 ? 10 : 0
            project = width >= 110 ? 4 : 0
            // One column wider than their titles, for the sort's arrow.
            priority = width >= 120 ? 4 : 0
            type = width >= 80 ? 16 : 0
            events = width >= 45 ? 7 : 0
            lastSeen = width >= 55 ? 10 : 0
            let fixed = 1 + 4 + [shortID, type, culprit, assignee, project, priority, events, users, trend, lastSeen].filter { $0 > 0 }.reduce(0) { $0 + $1 + 1 } + 3
            title = max(4, width - fixed)
        }
    }

    static func render(_ state: AppState, registry: GroupTypeRegistry, now: Double, into grid: inout Grid) {
        let list = state.list
        renderHeader(state, now: now, into: &grid)
        let columns = Columns(width: grid.width, shortIDs: state.showShortIDs)
        renderColumnTitles(columns, sort: list.sort, ascending: list.ascending, into: &grid)
        let top = 2
        let visible = grid.height - 3
        guard list.loaded else {
            grid.put(state.storeUnreachable ? "no data yet — the store has not answered" : "loading…", x: 2, y: top, role: .dim)
            return
        }
        guard list.total > 0 else {
            if list.storeIsEmpty, let spool = state.watching {
                grid.put("no issues yet — \(state.ingesting ? "ingesting" : "watching") \(spool)", x: 2, y: top, role: .dim)
                return
            }
            let query = list.query.source.isEmpty ? "(every group)" : list.query.source
            grid.put("no issues match \(query)", x: 2, y: top, role: .dim)
            return
        }
        for (index, group) in list.rows.prefix(visible).enumerated() {
            let selected = list.offset + index == list.selected
            renderRow(group, shownState: state.pendingStates[group.id] ?? group.state, y: top + index, selected: selected, marked: list.marked.contains(group.id),
                      trend: list.trends[group.id], users: list.users[group.id], unicode: state.unicode,
                      columns: columns, registry: registry, now: now, into: &grid)
        }
    }

    private static func renderHeader(_ state: AppState, now: Double, into grid: inout Grid) {
        grid.fill(Rect(x: 0, y: 0, width: grid.width, height: 1), role: .header)
        let query = state.list.query.source.isEmpty ? "(every group)" : state.list.query.source
        let count = state.list.searching ? "searching…"
            : "\(GroupPresentation.count(state.list.total))\(state.list.totalIsExact ? "" : "+") issue\(state.list.total == 1 && state.list.totalIsExact ? "" : "s")"
        // What the right side says, each with the rank at which it gives way when narrow (0 never) and
        // a shorter form for when what never gives way still leaves the query no room: the sort goes
        // first, so the query, the count, 🔔, following and the age stay. Past the short forms the
        // spool's counts (ranks 4 and 5) give way too: a filter not shown is a trap.
        var parts: [(text: String, drop: Int, short: String?)] = [(count, 0, nil)]
        if state.storeUnreachable {
            let age = ISOTime.age(now - state.refreshedAt)
            parts.append(("store unreachable — retrying", 0, "unreachable"))
            if state.following == nil, state.list.loaded { parts.append(("\(age) old", 0, nil)) }
        }
        // Files still in the spool: being ingested, or waiting out a pause.
        let files = GroupPresentation.count(state.filesWaiting)
        let waiting = "\(files) file\(state.filesWaiting == 1 ? "" : "s") waiting"
        if state.ingesting || (state.filesWaiting > 0 && state.following == true) {
            parts.append(state.filesWaiting > 0 ? ("ingesting · \(waiting)", 5, "\(files) waiting") : ("ingesting…", 5, nil))
        } else if state.filesWaiting > 0 {
            parts.append((waiting, 5, "\(files) waiting"))
        }
        // A file lands in failed/ when any of its payloads is refused, the rest stored: say so.
        if state.filesFailed > 0 {
            let failed = GroupPresentation.count(state.filesFailed)
            parts.append(("\(failed) file\(state.filesFailed == 1 ? "" : "s") with refused payloads", 4, "\(failed) in failed/"))
        }
        if let working = state.working { parts.append((working, 0, nil)) }
        if state.list.newAbove > 0 { parts.append(("\(state.list.newAbove) new ↑", 2, nil)) }
        if !state.list.marked.isEmpty { parts.append(("\(state.list.marked.count) marked", 3, nil)) }
        // Notifications are state the user must act on (b acknowledges): they never give way.
        if state.alerts > 0 { parts.append(("🔔 \(state.alerts)", 0, "🔔\(state.alerts)")) }
        // Descending is the default, so only ascending is marked here.
        parts.append(("sort \(state.list.ascending ? SortArrow.label(state.list.sort.rawValue, ascending: true) : state.list.sort.rawValue)", 1, nil))
        if let following = state.following {
            parts.append(following ? ("following ●", 0, "●") : ("paused ‖", 0, "‖"))
            let asOf = following ? state.refreshedAt : state.pausedAt ?? state.refreshedAt
            parts.append(("\(ISOTime.age(now - asOf)) old", 0, nil))
        }
        var right = parts.map(\.text).joined(separator: " · ")
        let width = grid.width
        // The sort goes before the query loses a single column; then, down to a few columns of query,
        // the rest gives way in rank order and takes its short forms.
        let cutsTheQuery = { 9 + TerminalText.width(query) + 1 + TerminalText.width(right) + 1 > width }
        let minimumQuery = min(TerminalText.width(query), 12)
        let tooWide = { 9 + minimumQuery + 1 + TerminalText.width(right) + 1 > width }
        if cutsTheQuery() {
            parts.removeAll { $0.drop == 1 }
            right = parts.map(\.text).joined(separator: " · ")
        }
        for rank in 2...3 where tooWide() {
            parts.removeAll { $0.drop == rank }
            right = parts.map(\.text).joined(separator: " · ")
        }
        // Short forms one at a time, the spool's counts first and following's word last: a bare `●`
        // or `‖` is the tersest thing on the line, so it is kept as a word while the width allows.
        func urgency(_ index: Int) -> Int { ["●", "‖"].contains(parts[index].short) ? -1 : parts[index].drop }
        let shortening = parts.indices.filter { parts[$0].short != nil }.sorted { urgency($0) > urgency($1) }
        for index in shortening where tooWide() {
            parts[index] = (parts[index].short ?? parts[index].text, parts[index].drop, nil)
            right = parts.map(\.text).joined(separator: " · ")
        }
        for rank in 4...5 where tooWide() {
            parts.removeAll { $0.drop == rank }
            right = parts.map { $0.short ?? $0.text }.joined(separator: " · ")
        }
        // Narrower still: the query keeps a few columns (cut with …) and the right side is cut to the rest.
        let leastQuery = min(TerminalText.width(query), 6)
        if 9 + leastQuery + 1 + TerminalText.width(right) + 1 > width {
            right = TerminalText.fit(right, columns: max(1, width - 9 - leastQuery - 2))
        }
        let rightWidth = TerminalText.width(right) + 1
        let used = grid.put(" triage  ", x: 0, y: 0, role: .header, attributes: [.bold])
        grid.put(TerminalText.fit(query, columns: max(1, grid.width - used - rightWidth - 1)), x: used, y: 0, role: .header,
                 maxColumns: max(0, grid.width - used - rightWidth - 1))
        grid.put(right, x: max(used, grid.width - rightWidth), y: 0, role: .header)
    }

    private static func renderColumnTitles(_ columns: Columns, sort: GroupSort, ascending: Bool, into grid: inout Grid) {
        var x = 1
        // The column the list is sorted by carries the direction.
        let sorted = [GroupSort.events: "EVENTS", .lastSeen: "LAST SEEN", .priority: "PRI", .trend: "LAST 24H"][sort]
        // A sort without a column on screen (first_seen always; PRI and LAST 24H when narrow) is
        // told by the title column: the header's `sort` is the first thing a narrow header drops.
        let widths = ["EVENTS": columns.events, "LAST SEEN": columns.lastSeen, "PRI": columns.priority, "LAST 24H": columns.trend]
        let untold = sorted.flatMap { widths[$0] }.map { $0 == 0 } ?? true
        func title(_ text: String, _ width: Int, rightAligned: Bool = false) {
            guard width > 0 else { return }
            var text = text == sorted ? SortArrow.label(text, ascending: ascending) : text
            if text == "TITLE", untold { text = TerminalText.fit("TITLE · by \(SortArrow.label(sort.rawValue, ascending: ascending))", columns: width) }
            let start = rightAligned ? x + width - TerminalText.width(text) : x
            grid.put(text, x: start, y: 1, role: .title, maxColumns: width)
            x += width + 1
        }
        title("LVL", 3)
        title("ID", columns.shortID)
        title("TYPE", columns.type)
        title("TITLE", columns.title)
        title("CULPRIT", columns.culprit)
        title("ASSIGNEE", columns.assignee)
        title("PROJ", columns.project, rightAligned: true)
        title("PRI", columns.priority)
        title("EVENTS", columns.events, rightAligned: true)
        title("USERS", columns.users, rightAligned: true)
        title("LAST 24H", columns.trend)
        title("LAST SEEN", columns.lastSeen, rightAligned: true)
        title("ST", 2)
    }

    private static func renderRow(_ group: Group, shownState: GroupState, y: Int, selected: Bool, marked: Bool, trend: [Int]?, users: Int?, unicode: Bool, columns: Columns,
                                  registry: GroupTypeRegistry, now: Double, into grid: inout Grid) {
        let base: Role = selected ? .rowSelected : marked ? .rowMarked : .row
        grid.fill(Rect(x: 0, y: y, width: grid.width, height: 1), role: base)
        // The marker column shows selection and marks without colour, and both at once.
        grid.put(selected && marked ? "◉" : selected ? "▌" : marked ? "●" : " ", x: 0, y: y, role: base)
        var x = 1
        func cell(_ text: String, _ width: Int, role: Role? = nil, rightAligned: Bool = false) {
            guard width > 0 else { return }
            let fitted = TerminalText.fit(text, columns: width)
            let start = rightAligned ? x + width - TerminalText.width(fitted) : x
            grid.put(fitted, x: start, y: y, role: selected ? base : role ?? base, maxColumns: width)
            x += width + 1
        }
        cell(GroupPresentation.levelTag(group.level), 3, role: levelRole(group.level))
        cell(group.shortID, columns.shortID, role: .dim)
        cell(registry.type(id: group.typeID)?.slug ?? String(group.typeID), columns.type)
        cell(group.title, columns.title)
        cell(group.culprit, columns.culprit, role: .dim)
        cell(group.assignee.map(AssigneeName.canonical) ?? "", columns.assignee)
        cell(String(group.projectID), columns.project, rightAligned: true)
        cell(GroupPresentation.priorityTag(group.priority), columns.priority)
        cell(GroupPresentation.count(group.timesSeen), columns.events, rightAligned: true)
        cell(users.map { $0 >= userCountCap ? "\(GroupPresentation.count(userCountCap))+" : GroupPresentation.count($0) } ?? "", columns.users, rightAligned: true)
        cell(trend.map { Sparkline.render($0, cells: columns.trend, unicode: unicode) } ?? "", columns.trend)
        cell(ISOTime.relative(group.lastSeen, now: now), columns.lastSeen, rightAligned: true)
        cell(GroupPresentation.statusLetter(shownState), 2, role: statusRole(shownState))
    }

    static func levelRole(_ level: Level) -> Role {
        switch level {
        case .fatal: return .levelFatal
        case .error: return .levelError
        case .warning: return .levelWarning
        case .info: return .levelInfo
        case .debug: return .levelDebug
        }
    }

    static func statusRole(_ state: GroupState) -> Role {
        switch (state.status, state.substatus) {
        case (.resolved, _): return .statusResolved
        case (.ignored, _): return .statusIgnored
        case (_, .new?): return .statusNew
        case (_, .regressed?): return .statusRegressed
        case (_, .escalating?): return .statusEscalating
        default: return .row
        }
    }
}
