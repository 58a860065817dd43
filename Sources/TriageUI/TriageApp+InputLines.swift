import Foundation
import TriageEngine

/// The input lines that are not commands: the `/` query with live results and completion, and the
/// details' search; every key edits them as a shell line does.
extension TriageApp {
    func handleEditor(_ key: Key) throws {
        guard var editor = state.editor else { return }
        let completion = editor.completion
        // The list a half-typed value already shows counts as the first `Tab`'s: the next one steps.
        let shown = editor.heldValueCandidates
        editor.completion = nil
        editor.heldValueCandidates = nil
        switch key {
        case .enter:
            guard editor.error == nil else { return }
            // A word held back as a possible key is text after all, and a value held back while typed
            // is what it is: run the whole line, or say now why it cannot run.
            if editor.heldWord != nil {
                guard let query = wholeLine(&editor) else {
                    state.editor = editor
                    return
                }
                state.list.query = query
                remember(editor.text)
                state.editor = nil
                state.list.selected = 0
                try reloadWithinKeystrokeBudget()
                return
            }
            remember(editor.text)
            state.editor = nil
            return
        case .escape:
            // Esc cancels the line, candidate list and all, as in fzf: any other key closes the list
            // by itself, so an Esc that closed only the list left people typing into a line they
            // thought was gone.
            state.editor = nil
            state.list.query = editor.previous
            state.list.selected = 0
            try reloadWithinKeystrokeBudget()
            return
        case .tab, .backTab:
            complete(&editor, stepping: completion, shown: shown, backwards: key == .backTab)
        case .up, .down, .control("p"), .control("n"):
            guard !queryHistory.isEmpty else { return }
            let older = key == .up || key == .control("p")
            let index = older ? max(0, (editor.historyIndex ?? queryHistory.count) - 1)
                              : min(queryHistory.count - 1, (editor.historyIndex ?? queryHistory.count - 1) + 1)
            editor.historyIndex = index
            editor.line.replace(with: queryHistory[index])
        default:
            switch edit(&editor.line, key) {
            // A move changes which term is under the cursor, and so what is held and what is an error.
            case .edited, .moved: break
            case .unhandled:
                state.editor = editor
                return
            }
        }
        // Live results: every keystroke re-runs a query that parses; a bad one keeps the last results.
        // A word that may still become a key is left out of it until it cannot or Enter is pressed.
        do {
            var live = editor.line.characters
            editor.heldWord = nil
            if let held = QuerySyntax.keyPrefixBeingTyped(editor.line) {
                editor.heldWord = String(live[held])
                live.removeSubrange(held)
            }
            let query = try parser.parse(String(live))
            editor.error = nil
            editor.suggestion = nil
            state.editor = editor
            try runLive(query)
        } catch let error as QueryError {
            if try holdValueBeingTyped(&editor) { return }
            editor.error = error
            editor.suggestion = error.suggestion
            state.editor = editor
            try runWithoutFailingTerm(editor.text, error)
        }
    }

    /// A line with a bad term runs live without it: the results are never those of a word or a
    /// number on the way to the bad term (`foo` before `foo:bar`, a number cut where it overflowed).
    private func runWithoutFailingTerm(_ text: String, _ error: QueryError) throws {
        var characters = Array(text)
        let at = min(max(error.column - 1, 0), characters.count)
        var start = at, end = at
        while start > 0, !characters[start - 1].isWhitespace { start -= 1 }
        while end < characters.count, !characters[end].isWhitespace { end += 1 }
        characters.removeSubrange(start..<end)
        guard let query = try? parser.parse(String(characters).trimmingCharacters(in: .whitespaces)) else { return }
        try runLive(query)
    }

    /// Makes `query` the list's, unless it already is with its results in (a key that only grew a
    /// held word has nothing new to look for).
    private func runLive(_ query: GroupQuery) throws {
        guard query.source != state.list.query.source || state.list.searching else { return }
        state.list.query = query
        state.list.selected = 0
        try reloadWithinKeystrokeBudget()
    }

    /// The whole line's query, held words and all; nil with the error on the line when it cannot run.
    private func wholeLine(_ editor: inout QueryEditor) -> GroupQuery? {
        let text = editor.text
        switch Result(catching: { () throws(QueryError) -> GroupQuery in try parser.parse(text) }) {
        case let .success(query):
            return query
        case let .failure(error):
            editor.heldWord = nil
            editor.error = error
            editor.suggestion = error.suggestion
            return nil
        }
    }

    /// A line that fails only because its last term's value is half typed (`level:err`) is not an
    /// error yet: the term's candidates are listed and the rest of the line runs live. True when so.
    private func holdValueBeingTyped(_ editor: inout QueryEditor) throws -> Bool {
        guard let held = querySyntax(for: editor.text).valueBeingTyped(editor.line) else { return false }
        var live = editor.line.characters
        live.removeSubrange(held.range)
        guard let query = try? parser.parse(String(live)) else { return false }
        editor.heldWord = String(editor.line.characters[held.range])
        editor.error = nil
        editor.suggestion = nil
        editor.heldValueCandidates = held.candidates
        state.editor = editor
        try runLive(query)
        return true
    }

    /// The query language's choices for the line `text` (the one being edited, not the one last
    /// stored in the state: a `Tab` that just wrote `project:` must offer every project at once).
    func querySyntax(for text: String) -> QuerySyntax {
        QuerySyntax(registry: store.registry, projects: projectsToOffer(for: text), assignees: namesInUse)
    }

    /// Every project in the store (not only those of the rows read so far), read while a line names
    /// the key: `project:` then offers them all, the list scrolling as `Tab` steps.
    private func projectsToOffer(for text: String) -> Set<Int64> {
        guard text.contains("project:") else { return seenProjects }
        return seenProjects.union((try? store.projectIDs(limit: 10_000)) ?? [])
    }

    /// `Tab`, as a shell does: completes the word at the cursor in place when one candidate fits; with
    /// several, puts their longest common start in the line and lists them all, and each further `Tab`
    /// steps to the next. A list already `shown` with nothing more in common is stepped at once.
    private func complete(_ editor: inout QueryEditor, stepping previous: Completion?, shown: Completion?, backwards: Bool) {
        if var completion = previous, completion.steps {
            completion.step(backwards: backwards, in: &editor.line)
            editor.completion = completion
            return
        }
        // The whole term under the cursor, as the prefix rule reads it: `level:wa|r` completes `war`.
        let term = QuerySyntax.termUnderCursor(editor.line) ?? editor.line.cursor..<editor.line.cursor
        let found = querySyntax(for: editor.text).candidates(for: String(editor.line.characters[term]))
        let range = term.lowerBound + found.replacing.lowerBound..<term.upperBound
        guard let first = found.candidates.first else {
            editor.completion = Completion(candidates: [], index: nil, range: range)
            return
        }
        if found.candidates.count == 1 {
            editor.line.replace(range, with: first)
            return
        }
        let common = found.candidates.dropFirst().reduce(first) { String($0.commonPrefix(with: $1)) }
        let typed = String(editor.line.characters[range])
        // Keep what was typed when the candidates share no more than that (case differences too).
        let start = common.count > typed.count ? common : typed
        if start == typed, var completion = shown, completion.candidates == found.candidates, completion.steps {
            completion.step(backwards: backwards, in: &editor.line)
            editor.completion = completion
            return
        }
        editor.line.replace(range, with: start)
        editor.completion = Completion(candidates: found.candidates, index: nil, range: range.lowerBound..<range.lowerBound + start.count)
    }

    /// Runs an editing key on any input line; the kill buffer is shared, so `Ctrl-Y` in one line
    /// yanks what `Ctrl-W` removed in another.
    func edit(_ line: inout LineEditor, _ key: Key) -> LineEditor.Outcome {
        line.killBuffer = killBuffer
        let outcome = line.handle(key)
        killBuffer = line.killBuffer
        return outcome
    }

    /// Keys while the details' search line is open: Enter finds the text from the top of the view.
    func handleDetailSearch(_ key: Key) {
        guard var line = state.detail?.searchLine else { return }
        switch key {
        case .escape:
            state.detail?.searchLine = nil
        case .enter:
            state.detail?.searchLine = nil
            // Kept as typed for the messages; matched without regard to case.
            let text = line.text.trimmingCharacters(in: .whitespaces)
            state.detail?.search = text.isEmpty ? nil : text
            state.detail?.match = nil
            if !text.isEmpty { stepSearch(by: 1) }
        default:
            _ = edit(&line, key)
            state.detail?.searchLine = line
        }
    }

    /// Moves to the next (`n`) or previous (`N`) line holding the search, wrapping around, and
    /// scrolls it into view.
    func stepSearch(by step: Int) {
        guard let detail = state.detail, let needle = detail.search else { return }
        let lines = detailLines(detail)
        let folded = needle.lowercased()
        let hits = lines.indices.filter { lines[$0].map(\.text).joined().lowercased().contains(folded) }
        guard !hits.isEmpty else {
            state.detail?.match = nil
            // The header's title is not among the lines (unless it is cut, when they repeat it whole).
            let inTitle = TerminalText.sanitize(detail.details.group.title).lowercased().contains(folded)
            state.message = inTitle ? Message(kind: .info, text: "\(TerminalText.sanitize(needle)): in the title only")
                                    : Message(kind: .error, text: "not found: \(TerminalText.sanitize(needle))")
            return
        }
        let from = detail.match ?? (detail.scroll - 1)
        let next = step > 0 ? hits.first { $0 > from } ?? hits[0] : hits.last { $0 < (detail.match ?? detail.scroll) } ?? hits[hits.count - 1]
        state.detail?.match = next
        let visible = height - 2
        if next < detail.scroll || next >= detail.scroll + visible {
            state.detail?.scroll = min(max(0, next - visible / 3), DetailView.maxScroll(lineCount: lines.count, height: height))
        }
        state.message = Message(kind: .info, text: "\(TerminalText.sanitize(needle)): \(hits.firstIndex(of: next)! + 1) of \(hits.count) · n next · N previous")
    }
}
