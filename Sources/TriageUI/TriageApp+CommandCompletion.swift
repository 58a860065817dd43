import TriageEngine

/// `Tab` on the `:` line: the command's name, then its arguments (`:sort ev` → `:sort events`,
/// `:theme l` → `:theme light`, `:query lev` as the `/` line completes it). One candidate goes in
/// place; several are narrowed to what they share and listed above the line, and each further `Tab`
/// (`Shift-Tab`) steps to the next (previous) one, as on the `/` line.
extension TriageApp {
    /// The words the `:` line runs here: every command id that works in this scope.
    var commandNames: [String] { CommandCatalog.all.filter { $0.runsFromCommandLine(in: scope) }.map(\.id.rawValue).sorted() }

    func completeCommand(_ line: inout LineEditor) {
        let before = Array(line.beforeCursor)
        guard let space = before.firstIndex(of: " ") else {
            // `:P3-` is on its way to a jump (`:P3-1F`): the groups' short ids, not command names.
            let jumping = before.count >= 2 && before[0].lowercased() == "p" && before[1].isNumber
            complete(&line, word: 0..<before.count, among: jumping ? jumpTargets : commandNames, after: jumping ? "" : " ")
            return
        }
        let name = String(before[..<space]).lowercased()
        let wordStart = before.lastIndex(of: " ").map { $0 + 1 } ?? 0
        if name == "query" || name == "filter" {
            let found = querySyntax(for: line.text).candidates(for: String(before[wordStart...]))
            complete(&line, word: wordStart + found.replacing.lowerBound..<before.count, among: found.candidates, after: "")
            return
        }
        let position = before[space..<wordStart].split(separator: " ").count
        complete(&line, word: wordStart..<before.count, among: argumentChoices(name, position: position), after: " ")
    }

    /// What a `:` command takes as its argument number `position` (0 first), for completion.
    func argumentChoices(_ name: String, position: Int) -> [String] {
        switch (name, position) {
        case ("sort", 0): return GroupSort.allCases.map(\.rawValue)
        case ("sort", 1): return ["asc", "desc"]
        case ("theme", 0): return themes.names
        case ("priority", 0): return ["high", "medium", "low", "auto"]
        case ("columns", 0): return ["id", "-id"]
        case ("mouse", 0), ("follow", 0): return ["on", "off"]
        case ("ignore", 0): return ["forever", "escalating", "until"]
        case ("assign", 0): return ["me", "none"] + namesInUse.filter { $0 != "me" && $0 != "none" }
        case ("jump", 0): return jumpTargets
        default: return []
        }
    }

    /// The groups on screen by short id, the most recently seen first (whatever the list's sort).
    private var jumpTargets: [String] { state.list.rows.sorted { $0.lastSeen > $1.lastSeen }.map(\.shortID) }

    /// Puts the one candidate for the characters `word` in place (then `after`), or what several share,
    /// listing them above the line; none says so there.
    private func complete(_ line: inout LineEditor, word: Range<Int>, among choices: [String], after: String) {
        let typed = String(Array(line.beforeCursor)[word]).lowercased()
        let found = choices.filter { $0.lowercased().hasPrefix(typed) }
        guard let first = found.first else {
            state.commandCandidates = Completion(candidates: [], index: nil, range: 0..<0)
            return
        }
        if found.count == 1 {
            line.replace(word, with: first + after)
            return
        }
        let common = found.dropFirst().reduce(first) { String($0.commonPrefix(with: $1)) }
        let start = common.count > typed.count ? common : String(Array(line.beforeCursor)[word])
        line.replace(word, with: start)
        state.commandCandidates = Completion(candidates: found, index: nil, range: word.lowerBound..<word.lowerBound + start.count)
    }
}
