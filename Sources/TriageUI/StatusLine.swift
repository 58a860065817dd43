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
            let held = editor.heldWord.map { "  “\(TerminalText.sanitize($0))” may become a key; Enter searches it as text" }
            LineEditorView.render(prompt: "/", editor.line, note: note ?? held, x: 0, y: y, width: grid.width, role: .statusLine,
                                  noteRole: note == nil ? .dim : .errorMessage, into: &grid)
            if let completion = editor.completion, y > 1 { renderCandidates(completion, y: y - 1, into: &grid) }
            return
        }
        if let search = state.detail?.searchLine {
            LineEditorView.render(prompt: "search details: ", search, x: 0, y: y, width: grid.width, role: .statusLine, into: &grid)
            return
        }
        if let commandLine = state.commandLine {
            LineEditorView.render(prompt: ":", commandLine, x: 0, y: y, width: grid.width, role: .statusLine, into: &grid)
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
        grid.put(" " + hints(in: state.detail == nil ? .list : .details, keymap: keymap).joined(separator: "  "), x: 0, y: y, role: .statusLine)
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
                pairs[pairs.count - 1].keys += " \(key)"
            } else {
                pairs.append((key.description, hint))
            }
        }
        return pairs
    }
}

extension StatusLine {
    /// The `Tab` candidates, on the row above the query line; the chosen one highlighted, and as many
    /// as fit around it.
    static func renderCandidates(_ completion: Completion, y: Int, into grid: inout Grid) {
        grid.fill(Rect(x: 0, y: y, width: grid.width, height: 1), role: .header)
        guard !completion.candidates.isEmpty else {
            grid.put(" no completions here", x: 0, y: y, role: .header)
            return
        }
        let chosen = completion.index ?? 0
        var first = chosen
        var used = completion.candidates[chosen].count + 2
        while first > 0, used + completion.candidates[first - 1].count + 2 < grid.width - 12 {
            first -= 1
            used += completion.candidates[first].count + 2
        }
        var x = grid.put(first > 0 ? " +\(first) " : " ", x: 0, y: y, role: .header)
        var index = first
        while index < completion.candidates.count, x + completion.candidates[index].count + 10 < grid.width {
            let here = completion.index == index
            x += grid.put(" \(completion.candidates[index]) ", x: x, y: y, role: here ? .rowSelected : .header, attributes: here ? [.bold] : [])
            index += 1
        }
        if index < completion.candidates.count { grid.put(" +\(completion.candidates.count - index) more", x: x, y: y, role: .header) }
    }
}
