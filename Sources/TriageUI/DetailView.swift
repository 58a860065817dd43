import TriageEngine

/// A piece of a line with its role.
struct Span {
    let text: String
    let role: Role
    var attributes: Attributes = []
}

/// A group's details: header block, evidence table, evidence data, tags, history; scrollable.
enum DetailView {
    /// Draws `content`, the details' lines as `lines` built them (the caller keeps them between frames).
    static func render(_ detail: DetailState, lines content: [[Span]], working: String? = nil, into grid: inout Grid) {
        let group = detail.details.group
        grid.fill(Rect(x: 0, y: 0, width: grid.width, height: 1), role: .header)
        let used = grid.put(" \(group.shortID)  ", x: 0, y: 0, role: .header, attributes: [.bold])
        let note = working.map { " \($0) " } ?? ""
        let room = max(1, grid.width - used - 1 - TerminalText.width(note))
        grid.put(TerminalText.fit(group.title, columns: room), x: used, y: 0, role: .header, maxColumns: room)
        if !note.isEmpty { grid.put(note, x: grid.width - TerminalText.width(note), y: 0, role: .header) }
        let visible = grid.height - 2
        let scroll = min(detail.scroll, maxScroll(lineCount: content.count, height: grid.height))
        for (row, line) in content.dropFirst(scroll).prefix(visible).enumerated() {
            // The search's match stands out as a selected row does.
            let isMatch = detail.match == scroll + row
            if isMatch { grid.fill(Rect(x: 0, y: 1 + row, width: grid.width, height: 1), role: .rowSelected) }
            var x = 0
            for span in line {
                x += grid.put(span.text, x: x, y: 1 + row, role: isMatch ? .rowSelected : span.role, attributes: span.attributes, maxColumns: grid.width - x)
            }
        }
        if detail.unseenNotes > 0 {
            let sign = unseenNotesSign(detail.unseenNotes)
            grid.put(sign, x: max(0, grid.width - TerminalText.width(sign)), y: grid.height - 2, role: .header, attributes: [.bold])
        }
    }

    /// Drawn over the last row while notes that arrived are below the view.
    static func unseenNotesSign(_ count: Int) -> String { " \(count) new note\(count == 1 ? "" : "s") ↓ " }

    static func maxScroll(lineCount: Int, height: Int) -> Int { max(0, lineCount - (height - 2)) }

    /// The details as lines `width` columns wide: a longer line (a long evidence value, tag or
    /// string in the evidence data) continues on the next, marked `↪` under its value's column.
    static func lines(_ detail: DetailState, unicode: Bool, registry: GroupTypeRegistry, now: Double, width: Int) -> [[Span]] {
        let chart = TrendChart.lines(hours: detail.hours, forecast: detail.outlook?.forecast, width: width, unicode: unicode)
        var content = lines(detail.details, registry: registry, now: now, outlook: detail.outlook, chart: chart, pendingState: detail.pendingState)
        // A title the header cuts is given whole as the first field, where it wraps and search finds it.
        let group = detail.details.group
        if TerminalText.width(group.title) > width - TerminalText.width(" \(group.shortID)  ") - 1 {
            content.insert(field("title", group.title), at: 0)
        }
        return wrapped(content, width: width)
    }

    static func field(_ name: String, _ value: String, role: Role = .row) -> [Span] {
        [Span(text: "  " + TerminalText.pad(name, columns: 12), role: .dim), Span(text: value, role: role)]
    }

    static func wrapped(_ lines: [[Span]], width: Int) -> [[Span]] {
        let lines = lines.flatMap(brokenAtNewlines)
        guard width >= 16 else { return lines }
        var result: [[Span]] = []
        for line in lines {
            let spans = line.map { Span(text: TerminalText.sanitize($0.text), role: $0.role, attributes: $0.attributes) }
            guard spans.reduce(0, { $0 + TerminalText.width($1.text) }) > width else {
                result.append(line)
                continue
            }
            // Under the value: past a field's name column, else a little in from the edge.
            let lead = spans.count > 1 ? TerminalText.width(spans[0].text) : 0
            let indent = lead >= 4 && lead < width / 2 ? lead : 4
            // Between words, as prose wraps; a word wider than the line (a URL, a hash) is broken.
            result += SpanWrap.wrap(spans, columns: width, indent: indent, marker: "↪ ")
        }
        return result
    }

    /// A value with line breaks (a stack trace in an evidence row) as lines, each after the first under
    /// the value's column, instead of one line of `␊`; other controls are still made visible by `sanitize`.
    static func brokenAtNewlines(_ line: [Span]) -> [[Span]] {
        guard line.contains(where: { $0.text.contains(where: \.isNewline) }) else { return [line] }
        let lead = line.count > 1 ? TerminalText.width(TerminalText.sanitize(line[0].text)) : 4
        var result: [[Span]] = []
        var current: [Span] = []
        for span in line {
            for (index, part) in span.text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
                if index > 0 {
                    result.append(current)
                    current = [Span(text: String(repeating: " ", count: lead), role: .row)]
                }
                current.append(Span(text: String(part), role: span.role, attributes: span.attributes))
            }
        }
        result.append(current)
        return result
    }

    static func lines(_ details: GroupDetails, registry: GroupTypeRegistry, now: Double, outlook: EscalationOutlook? = nil,
                      chart: [[Span]] = [], pendingState: GroupState? = nil) -> [[Span]] {
        let group = details.group
        // While a status write is under way, its target state is shown at once.
        let state = pendingState ?? group.state
        let type = registry.type(id: group.typeID)
        // The title is the header's: said once (unless the header cuts it).
        var lines: [[Span]] = [
            field("subtitle", group.subtitle),
            field("culprit", group.culprit),
            field("type", "\(type?.slug ?? "?") (\(group.typeID))"),
            field("level", group.level.rawValue, role: ListView.levelRole(group.level)),
            field("status", state.description, role: ListView.statusRole(state)),
        ] + (pendingState == nil && state.status == .ignored ? [field("ignored", ignoredText(state, details.ignoreCondition, now: now, outlook: outlook))] : []) + [
            field("priority", "\(GroupPresentation.priorityTag(group.priority).lowercased()) (\(group.priority))\(group.priorityLocked ? ", set by hand" : "")"),
            field("events", GroupPresentation.count(group.timesSeen)),
            field("first seen", "\(ISOTime.format(group.firstSeen))  (\(ISOTime.relative(group.firstSeen, now: now)))"),
            field("last seen", "\(ISOTime.format(group.lastSeen))  (\(ISOTime.relative(group.lastSeen, now: now)))"),
            field("short id", "\(group.shortID)  (id \(group.id), project \(group.projectID))"),
        ]
        if let assignee = group.assignee { lines.append(field("assignee", AssignmentChange.name(assignee))) }
        for link in details.links {
            lines.append(field("linked", "\(link.tracker): \(link.externalID)\(link.url.map { "  \($0)" } ?? "")\(link.title.map { "  \($0)" } ?? "")"))
        }
        let document = details.payload.flatMap { try? JSONDocument(bytes: $0, maxDepth: 1024) }
        if details.occurrenceCount > 1 {
            let position = details.occurrenceCount - details.occurrenceIndex
            let detected = document?.root["detection_time"]?.double.map { "  detected \(ISOTime.format($0))" } ?? ""
            // Retention keeps the newest occurrences only: say so, or "5 of 100" reads as 100 events.
            let kept = details.occurrenceCount < group.timesSeen ? " kept" : ""
            lines.append(field("occurrence", "\(position) of \(details.occurrenceCount)\(kept)\(details.occurrenceIndex == 0 ? " (newest)" : "")\(detected)  · [ before · ] after"))
        }
        if !chart.isEmpty { lines += [[]] + chart }
        if let document {
            lines += evidence(document.root)
            if let data = document.root["evidence_data"] {
                lines += [[], [Span(text: " Evidence data", role: .title, attributes: [.bold])]]
                lines += JSONPretty.lines(data).map { [Span(text: "   " + $0, role: .row)] }
            }
            if let event = document.root["event"], event.isObject {
                let fields = ["event_id", "platform", "environment", "release", "dist", "level", "timestamp", "received"]
                    .compactMap { name -> (String, String)? in
                        guard let value = event[name] else { return nil }
                        if name == "timestamp" || name == "received", let seconds = value.double { return (name, ISOTime.format(seconds)) }
                        return scalarText(value).map { (name, $0) }
                    }
                let user = event["user"].map { user in
                    ["id", "username", "email", "ip_address"].compactMap { user[$0].flatMap(scalarText) }.joined(separator: " · ")
                }
                let rows = fields + (user.map { $0.isEmpty ? [] : [("user", $0)] } ?? [])
                if !rows.isEmpty {
                    lines += [[], [Span(text: " Event", role: .title, attributes: [.bold])]]
                    lines += rows.map { field($0.0, $0.1) }
                }
            }
            let tags = EventTags.rows(of: document.root)
            if !tags.isEmpty {
                lines += [[], [Span(text: " Tags", role: .title, attributes: [.bold])]]
                lines += tags.map { field($0.key, $0.value) }
            }
        }
        lines += [[], [Span(text: " History", role: .title, attributes: [.bold])]]
        for entry in details.timeline {
            lines += historyLines(entry, now: now)
        }
        return lines
    }

    /// One history entry: a state change with its cause, an assignment, or a note headed by its
    /// author and age ("alice · 2m ago") with its text below.
    private static func historyLines(_ entry: TimelineEntry, now: Double) -> [[Span]] {
        let at = Span(text: "   \(ISOTime.format(entry.at))  ", role: .dim)
        switch entry {
        case let .status(entry):
            let from = entry.from.map { "\($0) → " } ?? ""
            return [[at, Span(text: "\(from)\(entry.to)", role: ListView.statusRole(entry.to)),
                     Span(text: "  \(cause(of: entry)) · \(ISOTime.relative(entry.at, now: now))", role: .dim)]]
        case let .assignment(change):
            return [[at, Span(text: "assigned to \(AssignmentChange.name(change.to))", role: .row),
                     Span(text: "  by \(change.actor) · \(ISOTime.relative(change.at, now: now))", role: .dim)]]
        case let .priority(change):
            return [[at, Span(text: change.summary, role: .row), Span(text: "  by \(change.actor) · \(ISOTime.relative(change.at, now: now))", role: .dim)]]
        case let .note(note):
            return [[at, Span(text: "note", role: .title, attributes: [.bold]),
                     Span(text: "  \(note.author) · \(ISOTime.relative(note.at, now: now))", role: .row)]]
                + note.text.split(separator: "\n", omittingEmptySubsequences: false).map { [Span(text: "     " + String($0), role: .row)] }
        }
    }

    /// Who or what made a state change: a person's ("by alice", "undone by alice"), else the rule or
    /// payload that did, with why.
    private static func cause(of entry: StatusHistoryEntry) -> String {
        switch (TransitionCause(rawValue: entry.cause), entry.actor) {
        case let (.user?, actor?): return "by \(actor)"
        case let (.undo?, actor?): return "undone by \(actor)"
        // On the team store the ingesting role; on SQLite nobody but the payload itself.
        case let (.payload?, actor): return (actor.map { "by \($0) (payload)" } ?? "by payload") + (entry.detail.map { ": \($0)" } ?? "")
        default: return entry.cause + (entry.actor.map { " by \($0)" } ?? "") + (entry.detail.map { ": \($0)" } ?? "")
        }
    }

    /// What ends an ignore, in words: "until 2026-12-07T14:05:00Z (in 3h)", "until 100 events within 1h".
    static func ignoredText(_ state: GroupState, _ condition: IgnoreCondition?, now: Double, outlook: EscalationOutlook? = nil) -> String {
        switch state.substatus {
        case .forever?: return "forever"
        case .untilEscalating?:
            guard let outlook else { return "until escalating (above its forecast)" }
            return "until escalating: \(GroupPresentation.count(outlook.thisHour)) this hour, forecast \(GroupPresentation.count(outlook.forecast))"
        default:
            guard let condition else { return "until a condition is met" }
            var parts: [String] = []
            if let until = condition.until {
                parts.append("until \(ISOTime.format(until)) (\(until > now ? "in " + DurationText.format(until - now) : "due"))")
            }
            if let count = condition.count {
                parts.append("until \(count) event\(count == 1 ? "" : "s")\(condition.countWindow.map { " within \(DurationText.format($0))" } ?? "")")
            }
            if let users = condition.users {
                parts.append("until \(users) user\(users == 1 ? "" : "s")\(condition.userWindow.map { " within \(DurationText.format($0))" } ?? "")")
            }
            return parts.isEmpty ? "until a condition is met" : parts.joined(separator: " or ")
        }
    }

    /// A JSON scalar as text; nil for objects, arrays and null.
    private static func scalarText(_ value: JSONValue) -> String? {
        if let text = value.string { return text }
        guard !value.isObject, !value.isArray, !value.isNull else { return nil }
        return String(decoding: value.rawJSON, as: UTF8.self)
    }

    /// The evidence table: aligned names; the first important row gets the `▶` marker (visible without
    /// colour) and the theme's important style.
    private static func evidence(_ root: JSONValue) -> [[Span]] {
        let entries = EvidenceTable.rows(of: root)
        guard !entries.isEmpty else { return [] }
        let nameWidth = min(32, entries.map { TerminalText.width(TerminalText.sanitize($0.name)) }.max() ?? 0)
        var lines: [[Span]] = [[], [Span(text: " Evidence", role: .title, attributes: [.bold])]]
        for entry in entries {
            let role: Role = entry.important ? .evidenceImportant : .row
            let attributes: Attributes = entry.important ? [.bold] : []
            // The name and the value apart, so a value's further lines go under the value's column.
            lines.append([Span(text: " \(entry.important ? "▶" : " ") \(TerminalText.pad(entry.name, columns: nameWidth))  ", role: role, attributes: attributes),
                          Span(text: entry.value, role: role, attributes: attributes)])
        }
        return lines
    }
}
