/// "did you mean …?" for a key or value the query language does not know. The parser attaches it to
/// its `QueryError`, so `list --query`, `tui --query` and the TUI's `/` line suggest the same thing.
public enum QuerySuggestion {
    /// "did you mean monitor_check_in_failure?", or nil when nothing is close; `prefix` and `suffix`
    /// go around each choice named (a key's colon: "did you mean level:?"; a command's: ":resolve").
    /// Keys, every key's values and the TUI's `:` commands all suggest by this one rule.
    public static func didYouMean(_ word: String, among choices: [String], prefix: String = "", suffix: String = "") -> String? {
        let found = nearest(word, among: choices)
        return found.isEmpty ? nil : "did you mean \(found.map { prefix + $0 + suffix }.joined(separator: ", "))?"
    }

    /// The choices nearest an unknown word: those it is a prefix or a part of, then those it abbreviates
    /// (its letters in order, the first the same: `lvl` → level, `monitr` → monitor_check_in_failure),
    /// then those a few edits away (only the closest); at most three.
    public static func nearest(_ word: String, among choices: [String]) -> [String] {
        let typed = word.lowercased()
        guard !typed.isEmpty else { return [] }
        let containing = choices.filter { $0.lowercased().hasPrefix(typed) } + choices.filter { !$0.lowercased().hasPrefix(typed) && $0.lowercased().contains(typed) }
        if !containing.isEmpty { return Array(containing.prefix(3)) }
        if typed.count >= 3 {
            let abbreviated = choices.filter { abbreviates(typed, $0.lowercased()) }
            if !abbreviated.isEmpty { return Array(abbreviated.prefix(3)) }
        }
        // Two edits for a word of four letters or more: a swapped pair (`levle`) is two.
        let limit = typed.count >= 4 ? max(2, typed.count / 3) : 1
        let near = choices.map { ($0, distance(typed, $0.lowercased())) }.filter { $0.1 <= limit }
        // Only the closest: a second, further one reads as a second guess.
        guard let best = near.map(\.1).min() else { return [] }
        return Array(near.filter { $0.1 == best }.map(\.0).prefix(3))
    }

    /// Whether `word`'s letters appear in `choice` in order, starting at its first letter.
    static func abbreviates(_ word: String, _ choice: String) -> Bool {
        guard word.first == choice.first else { return false }
        var letters = word.makeIterator()
        var next = letters.next()
        for character in choice where character == next { next = letters.next() }
        return next == nil
    }

    /// Levenshtein distance, for short words only (keys and values).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
