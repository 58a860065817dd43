import TriageEngine

/// Modal boxes drawn over a screen: the status panel, the pickers and the help overlay.
enum OverlayViews {
    /// Rows a box has for its body on a screen `height` tall (borders, margin and a footer aside).
    static func bodyRoom(height: Int) -> Int { max(1, height - 6) }

    /// A box of `lines` under `title`. Lines past the body's room scroll (`scroll` is the first one
    /// shown) and the footer says how many lie above and below; `footer` (a hint line) stays put.
    /// `scrolls` is false while the box's keys go elsewhere (its input line): no scroll note then,
    /// since the keys it would name type instead.
    static func box(_ title: String, lines: [[Span]], footer: [Span]? = nil, scroll: Int = 0, scrolls: Bool = true, keymap: Keymap, into grid: inout Grid) {
        let room = bodyRoom(height: grid.height)
        let first = max(0, min(scroll, lines.count - room))
        var shown = Array(lines.dropFirst(first).prefix(room))
        var bottom: [Span] = []
        if lines.count > room, scrolls {
            let below = lines.count - first - shown.count
            bottom.append(Span(text: [first > 0 ? "↑ \(first) above" : nil, below > 0 ? "↓ \(below) more" : nil].compactMap { $0 }.joined(separator: " · ")
                                + " · \(scrollKeys(keymap))  ", role: .title))
        }
        bottom += footer ?? []
        if !bottom.isEmpty { shown += [[], bottom] }
        // Sized from every line, not the page shown, so the box keeps its width while it scrolls.
        let scrollNote = lines.count > room && scrolls ? TerminalText.width("↑ \(lines.count) above · ↓ \(lines.count) more · \(scrollKeys(keymap))  ") : 0
        let footerWidth = (footer ?? []).reduce(scrollNote) { $0 + TerminalText.width($1.text) }
        let contentWidth = max(TerminalText.width(title) + 4, footerWidth, lines.map { $0.reduce(0) { $0 + TerminalText.width($1.text) } }.max() ?? 0)
        let width = min(grid.width - 2, contentWidth + 4)
        let height = min(grid.height - 2, shown.count + 2)
        let rect = Rect(x: max(0, (grid.width - width) / 2), y: max(0, (grid.height - height) / 2), width: width, height: height)
        // A column of margin either side is the box's too: no list text or mark glyph touches its border.
        grid.fill(Rect(x: rect.x - 1, y: rect.y, width: rect.width + 2, height: rect.height), role: .row)
        let horizontal = String(repeating: "─", count: max(0, width - 2))
        grid.put("┌" + horizontal + "┐", x: rect.x, y: rect.y, role: .border)
        grid.put([Span(text: " \(title) ", role: .title, attributes: [.bold])], x: rect.x + 2, y: rect.y, columns: width - 4)
        for row in 1..<max(1, height - 1) {
            grid.put("│", x: rect.x, y: rect.y + row, role: .border)
            grid.put("│", x: rect.x + width - 1, y: rect.y + row, role: .border)
        }
        grid.put("└" + horizontal + "┘", x: rect.x, y: rect.y + height - 1, role: .border)
        for (index, line) in shown.prefix(height - 2).enumerated() {
            grid.put(line, x: rect.x + 2, y: rect.y + 1 + index, columns: width - 4)
        }
    }

    /// The keys that scroll a box, from the live keymap ("j k PgUp PgDn g G").
    static func scrollKeys(_ keymap: Keymap) -> String {
        // A named key reads better here than a control chord (PgUp rather than Ctrl-u).
        [CommandID.down, .up, .pageUp, .pageDown, .top, .bottom].compactMap { id -> String? in
            let keys = keymap.keys(for: id)
            return (keys.first { if case .control = $0 { return false } else { return true } } ?? keys.first).map(keymap.name)
        }.joined(separator: " ")
    }

    /// What a scrolling box says to a key that does nothing there.
    static func scrollHint(_ keymap: Keymap) -> String {
        "\(scrollKeys(keymap)) scroll · \(keyList(keymap, .quit, .back, separator: " or ")) closes"
    }

    /// The first key of each command, as help writes them.
    static func keyList(_ keymap: Keymap, _ ids: CommandID..., separator: String = " ") -> String {
        ids.compactMap { keymap.keys(for: $0).first.map(keymap.name) }.joined(separator: separator)
    }

    /// Columns a box's input line has after its prompt: the box's widest inside, less the prompt.
    private static func inputRoom(_ grid: Grid, _ prompt: String) -> Int {
        max(4, grid.width - 6 - TerminalText.width(prompt))
    }

    static func statusPanel(_ panel: StatusPanel, keymap: Keymap, into grid: inout Grid) {
        let title = panel.targets.count == 1
            ? "Status of \(panel.targets[0].shortID) (\(panel.targets[0].state))"
            : "Status of " + ActionWording.marked(panel.targets)
        let lines: [[Span]] = panel.options.map { option in
            let key = keymap.keys(for: option.choice.command).first.map(keymap.name) ?? "-"
            if let refusal = option.refusal {
                return [Span(text: " \(key)  \(option.choice.label)", role: .dim, attributes: [.dim]),
                        Span(text: "  (\(refusal))", role: .dim, attributes: [.dim])]
            }
            return [Span(text: " \(key) ", role: .key, attributes: [.bold]), Span(text: " \(option.choice.label)", role: .row)]
        }
        // The question and the closing hint are the box's footer: they stay put while the choices scroll.
        let footer: [Span]
        if let pending = panel.pending {
            let prompt = " \(pending.choice.question ?? ""): "
            footer = [Span(text: prompt, role: .title)] + LineEditorView.spans(pending.line, room: inputRoom(grid, prompt), role: .row)
        } else {
            footer = [Span(text: " \(keyList(keymap, .back)) closes", role: .dim)]
        }
        box(title, lines: lines, footer: footer, scroll: panel.scroll, scrolls: panel.pending == nil, keymap: keymap, into: &grid)
    }

    static func trackerMenu(_ menu: TrackerMenu, keymap: Keymap, into grid: inout Grid) {
        let nameWidth = min(24, menu.entries.map { TerminalText.width($0.tracker) }.max() ?? 0)
        let lines: [[Span]] = menu.entries.indices.map { index in
            let entry = menu.entries[index]
            let here = index == menu.cursor
            let state = entry.link.map { "linked: \($0)" } ?? "not linked"
            return [Span(text: "\(here ? "▌" : " ")\(TerminalText.pad(entry.tracker, columns: nameWidth))  ", role: here ? .rowSelected : .row),
                    Span(text: state, role: entry.link == nil ? .dim : .row),
                    Span(text: "  (\(entry.pluginTitle))", role: .dim)]
        }
        let footer: [Span]
        if let typed = menu.typedID {
            let prompt = " \(menu.selected.tracker) issue id: "
            footer = [Span(text: prompt, role: .title)] + LineEditorView.spans(typed, room: inputRoom(grid, prompt), role: .row)
        } else {
            footer = [Span(text: " ", role: .row)] + StatusLine.hintPairs(in: .trackerMenu, keymap: keymap).flatMap { keys, hint in
                [Span(text: keys + " ", role: .key, attributes: [.bold]), Span(text: hint + "  ", role: .row)]
            } + [Span(text: "\(keyList(keymap, .back)) closes", role: .dim)]
        }
        // The window follows the cursor, as the type picker's does.
        let scroll = max(0, menu.cursor - bodyRoom(height: grid.height) / 2)
        box("Trackers for \(menu.group.shortID)", lines: lines, footer: footer, scroll: scroll, keymap: keymap, into: &grid)
    }

    static func typePicker(_ picker: TypePicker, keymap: Keymap, into grid: inout Grid) {
        let slugWidth = min(40, picker.entries.map { TerminalText.width($0.slug) }.max() ?? 0)
        let countWidth = picker.entries.map { TerminalText.width(GroupPresentation.count($0.count)) }.max() ?? 0
        // With more types than rows, the window keeps the cursor in view.
        let room = bodyRoom(height: grid.height)
        let first = max(0, min(picker.cursor - room / 2, picker.entries.count - room))
        let lines: [[Span]] = picker.entries.indices.map { index in
            let entry = picker.entries[index]
            let here = index == picker.cursor
            let count = GroupPresentation.count(entry.count)
            let text = "\(here ? "▌" : " ")[\(entry.chosen ? "x" : " ")] \(TerminalText.pad(entry.slug, columns: slugWidth))  "
                + String(repeating: " ", count: countWidth - TerminalText.width(count)) + count
            return [Span(text: text, role: here ? .rowSelected : entry.chosen ? .rowMarked : .row)]
        }
        let footer = "\(keyList(keymap, .mark)) toggles · \(keyList(keymap, .open)) filters · \(keyList(keymap, .back)) closes"
        box("Types", lines: lines, footer: [Span(text: footer, role: .dim)], scroll: first, keymap: keymap, into: &grid)
    }

    static func noise(_ keys: [NoiseHeldKey], scroll: Int, registry: GroupTypeRegistry, now: Double, keymap: Keymap, into grid: inout Grid) {
        guard !keys.isEmpty else {
            box("Held as noise", lines: [[Span(text: "nothing is held: every occurrence is on a group", role: .dim)]],
                footer: [Span(text: "\(keyList(keymap, .quit)) closes", role: .dim)], keymap: keymap, into: &grid)
            return
        }
        let projectWidth = keys.map { String($0.projectID).count }.max() ?? 1
        let stats = keys.map { key in
            let limit = registry.type(id: key.typeID)?.noiseConfig.map { "/\($0.ignoreLimit)" } ?? ""
            // A key whose window is over counts nothing toward the limit (`triage list --noise` shows
            // it at 0): said plainly, so stale keys do not read as close to becoming a group.
            let expired = key.windowCount == 0 ? " (expired)" : ""
            return "\(key.held) held · window \(key.windowCount)\(limit)\(expired) · \(ISOTime.relative(key.lastSeen, now: now))"
        }
        let columns = NoiseColumns(inner: grid.width - 6, projectWidth: projectWidth, statsWidth: stats.map { TerminalText.width($0) }.max() ?? 0,
                                   slug: keys.map { TerminalText.width(registry.type(id: $0.typeID)?.slug ?? "") }.max() ?? 0,
                                   fingerprint: keys.map { TerminalText.width(TerminalText.sanitize($0.fingerprint)) }.max() ?? 0,
                                   title: keys.map { TerminalText.width(TerminalText.sanitize($0.title)) }.max() ?? 0)
        let (slugWidth, fingerprintWidth, titleWidth) = (columns.slug, columns.fingerprint, columns.title)
        let lines: [[Span]] = zip(keys, stats).map { key, stat in
            let role: Role = key.windowCount == 0 ? .dim : .row
            var line = [Span(text: TerminalText.pad(TerminalText.fit(registry.type(id: key.typeID)?.slug ?? String(key.typeID), columns: slugWidth), columns: slugWidth), role: role),
                        Span(text: "  P\(TerminalText.pad(String(key.projectID), columns: projectWidth))  \(TerminalText.pad(TerminalText.fit(key.fingerprint, columns: fingerprintWidth), columns: fingerprintWidth))", role: role)]
            if titleWidth > 0 {
                line.append(Span(text: "  " + TerminalText.pad(TerminalText.fit(key.title, columns: titleWidth), columns: titleWidth), role: role))
            }
            line.append(Span(text: "  " + stat, role: .dim))
            return line
        }
        box("Held as noise (a group appears at its type's limit)", lines: lines, footer: [Span(text: "\(keyList(keymap, .quit)) closes", role: .dim)], scroll: scroll,
            keymap: keymap, into: &grid)
    }
}

extension TriageApp {
    /// The whole screen for the current state.
    public func render() -> Grid {
        var grid = Grid(width: width, height: height)
        let now = clock.now()
        var keymap = keymap
        keymap.plainKeyNames = !state.unicode
        if let detail = state.detail {
            DetailView.render(detail, lines: detailLines(detail), working: state.working, into: &grid)
        } else {
            ListView.render(state, registry: store.registry, now: now, into: &grid)
        }
        switch state.overlay {
        case .none: break
        case let .help(scroll): OverlayViews.help(keymap: keymap, scroll: scroll, into: &grid)
        case let .statusPanel(panel): OverlayViews.statusPanel(panel, keymap: keymap, into: &grid)
        case let .typePicker(picker): OverlayViews.typePicker(picker, keymap: keymap, into: &grid)
        case let .noise(keys, scroll): OverlayViews.noise(keys, scroll: scroll, registry: store.registry, now: now, keymap: keymap, into: &grid)
        case let .trackerMenu(menu): OverlayViews.trackerMenu(menu, keymap: keymap, into: &grid)
        case let .messages(scroll): OverlayViews.messages(state.messageLog, scroll: scroll, keymap: keymap, into: &grid)
        }
        StatusLine.render(state, keymap: keymap, into: &grid)
        if !state.unicode { grid.drawingASCIIGlyphs() }
        return grid
    }
}
