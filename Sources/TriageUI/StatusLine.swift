import TriageEngine

/// The bottom line: the query being typed (with its error), a message, or key hints.
enum StatusLine {
    static func render(_ state: AppState, keymap: Keymap, into grid: inout Grid) {
        let y = grid.height - 1
        guard y > 0 else { return }
        grid.fill(Rect(x: 0, y: y, width: grid.width, height: 1), role: .statusLine)
        if let editor = state.editor {
            // The column first: on a narrow terminal the message is what gets cut, not where.
            // The suggestion before the message: it is what a narrow line must keep.
            let note = editor.error.map { error in
                "  ✗ column \(error.column): " + (editor.suggestion.map { "\($0) (\(error.message))" } ?? error.message)
            }
            // Say why the list ignores the word being typed, and how to search it anyway.
            // A held value (`level:err`) needs no note: its candidates are listed above the line.
            let held = editor.heldWord.flatMap { word in
                word.contains(":") ? nil : "  “\(TerminalText.sanitize(word))” may become a key"
                    // `!` leaves out a key's values; Enter refuses a negated word, so it promises no search.
                    + (word.hasPrefix("!") ? " to leave out (!level:info)" : "; Enter searches it as text")
            }
            LineEditorView.render(prompt: "/", editor.line, note: note ?? held, x: 0, y: y, width: grid.width, role: .statusLine,
                                  noteRole: note == nil ? .dim : .errorMessage, into: &grid)
            if let completion = editor.completion ?? editor.heldValueCandidates, y > 1 { renderCandidates(completion, y: y - 1, into: &grid) }
            return
        }
        if let search = state.detail?.searchLine {
            LineEditorView.render(prompt: "search details: ", search, x: 0, y: y, width: grid.width, role: .statusLine, into: &grid)
            return
        }
        if let commandLine = state.commandLine {
            LineEditorView.render(prompt: ":", commandLine, note: state.commandLineError.map { "  ✗ " + $0 }, x: 0, y: y,
                                  width: grid.width, role: .statusLine, into: &grid)
            if let candidates = state.commandCandidates, y > 1 { renderCandidates(candidates, y: y - 1, into: &grid) }
            return
        }
        if let prompt = state.teamPrompt {
            TeamPromptView.render(prompt, y: y, into: &grid)
            return
        }
        if let confirmation = state.confirmation {
            MessageViews.renderOnStatusLine(confirmation.question, role: .errorMessage, attributes: [.bold], into: &grid)
            return
        }
        if let message = state.message {
            MessageViews.renderOnStatusLine(message.text, role: message.kind == .error ? .errorMessage : .statusLine, into: &grid)
            return
        }
        grid.put(footer(in: state.scope, keymap: keymap, width: grid.width), x: 0, y: y, role: .statusLine)
    }

    /// The hints that fit in `width`, in the catalog's order; those that do not are dropped from the
    /// end, shown by `…`, but the help hint goes last of all: it is where the rest can be found.
    static func footer(in scope: CommandScope, keymap: Keymap, width: Int) -> String {
        let help = keymap.keys(for: .help).first.flatMap { key in CommandCatalog.command(.help).hints[scope].map { "\(keymap.name(key)) \($0)" } }
        let all = hints(in: scope, keymap: keymap)
        if TerminalText.width(" " + all.joined(separator: "  ")) <= width { return " " + all.joined(separator: "  ") }
        var kept = all.filter { $0 != help }
        func line() -> String { " " + (kept + ["…"] + (help.map { [$0] } ?? [])).joined(separator: "  ") }
        while !kept.isEmpty, TerminalText.width(line()) > width { kept.removeLast() }
        return TerminalText.fit(line(), columns: width)
    }

    /// A scope's footer hints from the catalog, with the live keymap's keys: "j k move", "r resolve".
    static func hints(in scope: CommandScope, keymap: Keymap) -> [String] {
        hintPairs(in: scope, keymap: keymap).map { "\($0.keys) \($0.hint)" }
    }

    /// The hints as (keys, label); neighbours sharing a label share the hint ("[ ] older/newer").
    static func hintPairs(in scope: CommandScope, keymap: Keymap) -> [(keys: String, hint: String)] {
        var pairs: [(keys: String, hint: String)] = []
        for command in CommandCatalog.commands(in: scope) {
            guard let hint = command.hints[scope], let key = keymap.keys(for: command.id).first else { continue }
            if let last = pairs.last, last.hint == hint {
                pairs[pairs.count - 1].keys += " \(keymap.name(key))"
            } else {
                pairs.append((keymap.name(key), hint))
            }
        }
        return pairs
    }
}

extension StatusLine {
    /// The `Tab` candidates, on the row above the input line: the page of them holding the chosen one,
    /// marked `[so]`, with how many come before ("+3") and after ("+25 more") always in view, so each
    /// `Tab` shows where it is and every candidate can be reached.
    static func renderCandidates(_ completion: Completion, y: Int, into grid: inout Grid) {
        grid.fill(Rect(x: 0, y: y, width: grid.width, height: 1), role: .header)
        guard !completion.candidates.isEmpty else {
            grid.put(" no completions here", x: 0, y: y, role: .header)
            return
        }
        let page = candidatePage(completion.candidates.map(TerminalText.width), holding: completion.index ?? 0, width: grid.width)
        var x = grid.put(page.lowerBound > 0 ? " +\(page.lowerBound) " : " ", x: 0, y: y, role: .header)
        for index in page {
            // The one in the line is bracketed and drawn as a plain row against the header-coloured
            // list: themes draw the header and the selected row alike, and brackets need no colour.
            let here = completion.index == index
            x += grid.put(here ? "[\(completion.candidates[index])]" : " \(completion.candidates[index]) ", x: x, y: y,
                          role: here ? .row : .header, attributes: here ? [.bold] : [])
        }
        let after = completion.candidates.count - page.upperBound
        if after > 0 { grid.put(" +\(after) more", x: x, y: y, role: .header) }
    }

    /// The candidates (by their widths) split into pages that fit `width` with their counts; the page
    /// holding `chosen`. Pages are fixed from the first, so stepping turns a page instead of sliding.
    static func candidatePage(_ widths: [Int], holding chosen: Int, width: Int) -> Range<Int> {
        func columns(_ page: Range<Int>) -> Int {
            let before = page.lowerBound > 0 ? " +\(page.lowerBound) ".count : 1
            let after = page.upperBound < widths.count ? " +\(widths.count - page.upperBound) more".count : 0
            return before + widths[page].reduce(0) { $0 + $1 + 2 } + after
        }
        var first = 0
        while true {
            var end = first + 1
            while end < widths.count, columns(first..<end + 1) <= width { end += 1 }
            if chosen < end || end >= widths.count { return first..<end }
            first = end
        }
    }
}
