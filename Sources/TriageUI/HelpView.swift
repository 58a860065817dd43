import TriageEngine

/// The `?` overlay: every binding from the catalog and the live keymap, the query syntax, a legend.
extension OverlayViews {
    /// Every command of the catalog with its keys from the live keymap (remapped keys show as they
    /// are) and the name `:` or `[keys]` knows it by, scope by scope; then the keys of input lines,
    /// the query language, and the list's symbols.
    ///
    /// With a screen `width`, a line wider than the box's inside wraps, going on under its description
    /// (a heading under itself), so nothing is cut.
    static func helpLines(keymap: Keymap, width: Int? = nil) -> [[Span]] {
        let entries = helpEntries(keymap: keymap)
        // Each section's key column is as wide as its widest key, counted over the whole section
        // (not the page shown), so no key is cut (`assigned:me,alice`), the columns stay put while
        // paging, and a section of short keys leaves its titles the room.
        var section = 0
        var sections: [Int] = []
        var keyWidths: [Int: Int] = [:]
        for entry in entries {
            if case .heading = entry { section += 1 }
            sections.append(section)
            if case let .row(keys, _, _) = entry { keyWidths[section] = max(keyWidths[section] ?? 0, TerminalText.width(keys) + 2) }
        }
        let inside = width.map { $0 - 6 } ?? .max
        return zip(entries, sections).flatMap { entry, section -> [[Span]] in
            switch entry {
            case .blank: return [[]]
            case let .heading(text): return SpanWrap.wrap([Span(text: text, role: .title, attributes: [.bold])], columns: inside, indent: 2)
            case let .row(keys, title, id):
                let keyWidth = keyWidths[section] ?? 0
                let line = [Span(text: TerminalText.pad(keys, columns: keyWidth), role: .key, attributes: [.bold]), Span(text: title, role: .row)]
                    + (id.map { [Span(text: "  \($0)", role: .dim)] } ?? [])
                // Under the description; a key column too wide for that leaves a small indent instead.
                return SpanWrap.wrap(line, columns: inside, indent: keyWidth <= inside / 2 ? keyWidth : 4)
            }
        }
    }

    /// README's table of every key binding, made from the catalog as `?` is: the list and details, the
    /// status panel, the tracker menu; each command's keys, what `?` calls it, where, and its id.
    static func readmeKeyTable(keymap: Keymap = .default) -> String {
        func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
        let sections: [(where: String, commands: [Command])] = [
            ("list, details", CommandCatalog.all.filter { $0.scopes.contains(.list) || $0.scopes.contains(.details) }),
            ("status panel", CommandCatalog.commands(in: .statusPanel).filter { ![.back, .quit].contains($0.id) && !scrolling.contains($0.id) }),
            ("tracker menu", CommandCatalog.commands(in: .trackerMenu).filter { ![.down, .up, .back, .quit, .trackers].contains($0.id) }),
        ]
        var rows = ["| keys | what `?` calls it | where | id |", "|---|---|---|---|"]
        for (place, commands) in sections {
            for command in commands {
                let keys = keymap.keys(for: command.id)
                guard !keys.isEmpty else { continue }
                let id = command.runsFromCommandLine ? ":\(command.id.rawValue)" : command.id.rawValue
                rows.append("| \(keys.map { "`\($0)`" }.joined(separator: " ")) | \(cell(command.title)) | \(place) | `\(id)` |")
            }
        }
        return rows.joined(separator: "\n")
    }

    /// A line of help: keys and what they do (and the command's id), a section's heading, a gap.
    private enum HelpEntry {
        case row(String, String, String?)
        case heading(String)
        case blank
    }

    /// The keys every box scrolls by: help lists them once, under overlays.
    private static let scrolling: [CommandID] = [.down, .up, .top, .bottom, .pageDown, .pageUp]

    private static func helpEntries(keymap: Keymap) -> [HelpEntry] {
        func row(_ keys: String, _ title: String, _ id: String? = nil) -> HelpEntry { .row(keys, title, id) }
        // Editing keys by the keymap's names, so they read as words where glyphs cannot be drawn.
        func names(_ keys: Key...) -> String { keys.map(keymap.name).joined(separator: " ") }
        func heading(_ text: String) -> [HelpEntry] { [.blank, .heading(text)] }
        func commandRow(_ command: Command) -> HelpEntry {
            row(keymap.keys(for: command.id).map(keymap.name).joined(separator: " "), command.title,
                command.runsFromCommandLine ? ":\(command.id.rawValue)" : command.id.rawValue)
        }
        func only(_ scope: CommandScope, except: [CommandID]) -> [HelpEntry] {
            CommandCatalog.commands(in: scope).filter { !except.contains($0.id) }.map(commandRow)
        }
        var lines = CommandCatalog.all.filter { $0.scopes.contains(.list) || $0.scopes.contains(.details) }.map(commandRow)
        lines += heading("Status panel (\(keyList(keymap, .status, .ignore, separator: ", "))): choices the groups do not allow are dimmed, with why")
        lines += only(.statusPanel, except: [.back, .quit] + scrolling)
        lines += heading("Tracker menu (\(keyList(keymap, .trackers)))")
        lines += only(.trackerMenu, except: [.down, .up, .back, .quit, .trackers])
        lines += heading("Overlays (help, noise, types, status panel)")
        lines += [row(scrollKeys(keymap), "scroll; \(keyList(keymap, .quit, .back, separator: " or ")) or the overlay's own key closes"),
                  row(keyList(keymap, .mark, .open), "types: toggle a type; filter by the chosen")]
        lines += heading(": command line (Tab completes; every command marked :ID above runs by its id)")
        lines += CommandCatalog.commands(in: .commandLine).flatMap { command in
            [row(":\(command.id.rawValue)", command.title)] + (command.usage.map { [row("", ":\(command.id.rawValue) \($0)")] } ?? [])
        }
        lines += [row(":P1-3F", "jump to a group by its id (or :42)")]
        lines += heading("Marks")
        lines += [row("space", "marks a row (● marked, ◉ marked and under the cursor); actions apply to every mark"),
                  row("", "marks the filter hides are not acted on unseen: the action asks y/n first")]
        lines += heading("Input lines (/ query, : command, prompts)")
        lines += [row(names(.left, .right) + " C-b C-f", "move by character; M-b M-f (or Ctrl/Alt \(names(.left, .right))) by word"),
                  row("Home End", "start, end (also C-a C-e)"),
                  row(names(.backspace) + " Del C-d", "delete before / under the cursor"),
                  row("C-w " + names(.alt(.backspace)), "delete the term / word before the cursor"),
                  row("C-u C-k", "delete to the start / to the end"),
                  row("C-y", "paste what the last deletes removed (deletes in a row add up)"),
                  row(names(.up, .down), "query history (kept across runs)"),
                  row(names(.enter, .escape), "run / cancel")]
        lines += heading("Queries (all terms must match; ! negates a key)")
        lines += QuerySyntax.help.map { row($0.example, $0.meaning) }
        lines += heading("Symbols")
        lines += [row("ST", "status: N new, O ongoing, R regressed, E escalating, ✓ resolved, I ignored"),
                  row("following ●", "header: new issues appear as they arrive (● alone when narrow); \(keyList(keymap, .follow)) pauses"),
                  row("paused ‖", "header: the list holds still, its age counting up (‖ alone when narrow)"),
                  row("▌ ● ◉", "first column: the cursor's row, a marked row, a marked row under the cursor"),
                  row("🔔 N", "notifications since the UI opened (new, regressed, escalating); "
                      + "\(keymap.keys(for: .acknowledge).first.map(keymap.name) ?? ":acknowledge") clears it (acknowledge was a, which now assigns)"),
                  row(SortArrow.label("LAST SEEN", ascending: false), "the column the list is sorted by (S cycles, :sort NAME)"),
                  row("sort trend", "events this hour against the week's busiest hour (groups seen this hour first)"),
                  row("USERS", "distinct users who saw the group (1,000+ past 1,000); from 140 columns"),
                  row("LAST 24H", "events in the last 24 hours, a cell per 2 h: ▁ few … █ the row's busiest"),
                  row("N files waiting", "spool files not ingested yet"),
                  row("N in failed/", "N files with refused payloads: moved to failed/ since the UI opened (the rest of each stored)")]
        return lines
    }

    static func help(keymap: Keymap, scroll: Int, into grid: inout Grid) {
        box("Keys and queries (\(keyList(keymap, .help, .quit, separator: " or ")) closes)", lines: helpLines(keymap: keymap, width: grid.width), scroll: scroll,
            keymap: keymap, into: &grid)
    }
}
