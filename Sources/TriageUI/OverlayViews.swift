import TriageEngine

/// Modal boxes drawn over a screen: the status panel and the help overlay.
enum OverlayViews {
    static func box(_ title: String, lines: [[Span]], into grid: inout Grid) {
        let contentWidth = max(TerminalText.width(title) + 4, lines.map { $0.reduce(0) { $0 + TerminalText.width($1.text) } }.max() ?? 0)
        let width = min(grid.width - 2, contentWidth + 4)
        let height = min(grid.height - 2, lines.count + 2)
        let rect = Rect(x: max(0, (grid.width - width) / 2), y: max(0, (grid.height - height) / 2), width: width, height: height)
        grid.fill(rect, role: .row)
        let horizontal = String(repeating: "─", count: max(0, width - 2))
        grid.put("┌" + horizontal + "┐", x: rect.x, y: rect.y, role: .border)
        grid.put(" \(title) ", x: rect.x + 2, y: rect.y, role: .title, attributes: [.bold], maxColumns: width - 4)
        for row in 1..<max(1, height - 1) {
            grid.put("│", x: rect.x, y: rect.y + row, role: .border)
            grid.put("│", x: rect.x + width - 1, y: rect.y + row, role: .border)
        }
        grid.put("└" + horizontal + "┘", x: rect.x, y: rect.y + height - 1, role: .border)
        for (index, line) in lines.prefix(height - 2).enumerated() {
            var x = rect.x + 2
            for span in line {
                x += grid.put(span.text, x: x, y: rect.y + 1 + index, role: span.role, attributes: span.attributes,
                              maxColumns: rect.x + width - 2 - x)
            }
        }
    }

    static func statusPanel(_ panel: StatusPanel, into grid: inout Grid) {
        let title = panel.targets.count == 1
            ? "Status of \(panel.targets[0].shortID) (\(panel.targets[0].state))"
            : "Status of \(panel.targets.count) marked groups"
        var lines: [[Span]] = panel.options.map { option in
            if let refusal = option.refusal {
                return [Span(text: " \(option.choice.rawValue)  \(option.choice.label)", role: .dim, attributes: [.dim]),
                        Span(text: "  (\(refusal))", role: .dim, attributes: [.dim])]
            }
            return [Span(text: " \(option.choice.rawValue) ", role: .key, attributes: [.bold]), Span(text: " \(option.choice.label)", role: .row)]
        }
        if let pending = panel.pending {
            lines += [[], [Span(text: " \(pending.choice.question ?? ""): ", role: .title), Span(text: pending.text + "▏", role: .row)]]
        } else {
            lines += [[], [Span(text: " Esc closes", role: .dim)]]
        }
        box(title, lines: lines, into: &grid)
    }

    static func trackerMenu(_ menu: TrackerMenu, into grid: inout Grid) {
        let nameWidth = min(24, menu.entries.map { TerminalText.width($0.tracker) }.max() ?? 0)
        var lines: [[Span]] = menu.entries.indices.map { index in
            let entry = menu.entries[index]
            let here = index == menu.cursor
            let state = entry.link.map { "linked: \($0)" } ?? "not linked"
            return [Span(text: "\(here ? "▌" : " ")\(TerminalText.pad(entry.tracker, columns: nameWidth))  ", role: here ? .rowSelected : .row),
                    Span(text: state, role: entry.link == nil ? .dim : .row),
                    Span(text: "  (\(entry.pluginTitle))", role: .dim)]
        }
        if let typed = menu.typedID {
            lines += [[], [Span(text: " \(menu.selected.tracker) issue id: ", role: .title), Span(text: typed + "▏", role: .row)]]
        } else {
            lines += [[], [Span(text: " c ", role: .key, attributes: [.bold]), Span(text: "new issue  ", role: .row),
                           Span(text: "l ", role: .key, attributes: [.bold]), Span(text: "link existing  ", role: .row),
                           Span(text: "x ", role: .key, attributes: [.bold]), Span(text: "unlink  ", role: .row),
                           Span(text: "Esc closes", role: .dim)]]
        }
        box("Trackers for \(menu.group.shortID)", lines: lines, into: &grid)
    }

    static func typePicker(_ picker: TypePicker, into grid: inout Grid) {
        let slugWidth = min(40, picker.entries.map { TerminalText.width($0.slug) }.max() ?? 0)
        // With more types than rows, a window that keeps the cursor in view.
        let room = max(1, grid.height - 6)
        let first = max(0, min(picker.cursor - room / 2, picker.entries.count - room))
        let lines: [[Span]] = picker.entries.indices.dropFirst(first).prefix(room).map { index in
            let entry = picker.entries[index]
            let here = index == picker.cursor
            let text = "\(here ? "▌" : " ")[\(entry.chosen ? "x" : " ")] \(TerminalText.pad(entry.slug, columns: slugWidth))  \(GroupPresentation.count(entry.count))"
            return [Span(text: text, role: here ? .rowSelected : entry.chosen ? .rowMarked : .row)]
        }
        box("Types", lines: lines + [[], [Span(text: " space toggles · ⏎ filters · Esc closes", role: .dim)]], into: &grid)
    }

    static func noise(_ keys: [NoiseHeldKey], registry: GroupTypeRegistry, now: Double, into grid: inout Grid) {
        guard !keys.isEmpty else {
            box("Held as noise", lines: [[Span(text: "nothing is held: every occurrence is on a group", role: .dim)]], into: &grid)
            return
        }
        let slugWidth = min(28, keys.map { TerminalText.width(registry.type(id: $0.typeID)?.slug ?? "") }.max() ?? 0)
        let lines: [[Span]] = keys.map { key in
            let limit = registry.type(id: key.typeID)?.noiseConfig.map { "/\($0.ignoreLimit)" } ?? ""
            return [Span(text: TerminalText.pad(TerminalText.fit(registry.type(id: key.typeID)?.slug ?? String(key.typeID), columns: slugWidth), columns: slugWidth), role: .row),
                    Span(text: "  P\(key.projectID)  \(TerminalText.fit(key.fingerprint, columns: 24))", role: .row),
                    Span(text: "  \(key.held) held · window \(key.windowCount)\(limit) · \(ISOTime.relative(key.lastSeen, now: now))", role: .dim)]
        }
        box("Held as noise (a group appears at its type's limit)", lines: lines + [[], [Span(text: "any key closes", role: .dim)]], into: &grid)
    }

    /// Every binding, read from the live keymap, so remapped keys show as they are.
    /// One column when it fits the terminal's height, else two side by side if they fit its width.
    static func help(keymap: Keymap, into grid: inout Grid) {
        let entries = CommandCatalog.all.map { command in
            (keys: TerminalText.pad(keymap.keys(for: command.id).map(\.description).joined(separator: " "), columns: 12), title: command.title)
        }
        let half = (entries.count + 1) / 2
        let leftWidth = 12 + (entries.prefix(half).map { TerminalText.width($0.title) }.max() ?? 0) + 3
        let rightWidth = 12 + (entries.dropFirst(half).map { TerminalText.width($0.title) }.max() ?? 0)
        let twoColumns = entries.count + 2 > grid.height - 4 && leftWidth + rightWidth <= grid.width - 6
        let rows = twoColumns ? half : entries.count
        let lines: [[Span]] = (0..<rows).map { row in
            var line = [Span(text: entries[row].keys, role: .key, attributes: [.bold]), Span(text: entries[row].title, role: .row)]
            if rows + row < entries.count {
                let right = entries[rows + row]
                line[1] = Span(text: TerminalText.pad(entries[row].title, columns: leftWidth - 12), role: .row)
                line += [Span(text: right.keys, role: .key, attributes: [.bold]), Span(text: right.title, role: .row)]
            }
            return line
        } + [[], [Span(text: "In the status panel: r o f e d n w, as listed there. Any key closes this help.", role: .dim)]]
        box("Keys", lines: lines, into: &grid)
    }
}

/// The bottom line: the query being typed (with its error), a message, or key hints.
enum StatusLine {
    static func render(_ state: AppState, keymap: Keymap, into grid: inout Grid) {
        let y = grid.height - 1
        guard y > 0 else { return }
        grid.fill(Rect(x: 0, y: y, width: grid.width, height: 1), role: .statusLine)
        if let editor = state.editor {
            let used = grid.put("/" + editor.text + "▏", x: 0, y: y, role: .statusLine)
            if let error = editor.error {
                // The column first: on a narrow terminal the message is what gets cut, not where.
                grid.put("  ✗ column \(error.column): \(error.message)", x: used, y: y, role: .errorMessage, maxColumns: grid.width - used)
            }
            return
        }
        if let commandLine = state.commandLine {
            grid.put(":" + commandLine + "▏", x: 0, y: y, role: .statusLine)
            return
        }
        if let message = state.message {
            grid.put(" " + message.text, x: 0, y: y, role: message.kind == .error ? .errorMessage : .statusLine)
            return
        }
        let hints = CommandCatalog.all.compactMap { command -> String? in
            guard let hint = command.hint, let key = keymap.keys(for: command.id).first else { return nil }
            return "\(key) \(hint)"
        }
        grid.put(" ↑↓ move  " + hints.joined(separator: "  "), x: 0, y: y, role: .statusLine)
    }
}

extension TriageApp {
    /// The whole screen for the current state.
    public func render() -> Grid {
        var grid = Grid(width: width, height: height)
        let now = clock.now()
        if let detail = state.detail {
            DetailView.render(detail, registry: store.registry, now: now, into: &grid)
        } else {
            ListView.render(state, registry: store.registry, now: now, into: &grid)
        }
        switch state.overlay {
        case .none: break
        case .help: OverlayViews.help(keymap: keymap, into: &grid)
        case let .statusPanel(panel): OverlayViews.statusPanel(panel, into: &grid)
        case let .typePicker(picker): OverlayViews.typePicker(picker, into: &grid)
        case let .noise(keys): OverlayViews.noise(keys, registry: store.registry, now: now, into: &grid)
        case let .trackerMenu(menu): OverlayViews.trackerMenu(menu, into: &grid)
        }
        StatusLine.render(state, keymap: keymap, into: &grid)
        return grid
    }

    public var currentTheme: Theme { theme }
}
