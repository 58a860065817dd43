import TriageEngine

/// What the query language offers, for `Tab` completion and the `?` overlay. The parser
/// (`QueryParser`) stays the owner of what is valid, and of "did you mean" (`QueryError.suggestion`).
public struct QuerySyntax: Sendable {
    public let registry: GroupTypeRegistry
    /// Project ids known to exist (the UI gathers those of the rows it has read).
    public var projects: Set<Int64> = []
    /// Names groups are or were assigned to, most used first (the UI reads them from the store).
    public var assignees: [String] = []

    public init(registry: GroupTypeRegistry, projects: Set<Int64> = [], assignees: [String] = []) {
        self.registry = registry
        self.projects = projects
        self.assignees = assignees
    }

    /// Every key, as typed before the colon (`!` in front negates any of them).
    public static let keys = QueryParser.keys

    /// The word under the cursor while it could still become a key (`le` on its way to `level:`,
    /// or a bare `!`): its characters in the line, or nil. The live query leaves it out until it
    /// stops being a key's start or Enter searches it as text: scanning a million groups for `is`
    /// on the way to `is:` costs a second and shows nothing the user asked for.
    public static func keyPrefixBeingTyped(_ line: LineEditor) -> Range<Int>? {
        guard let term = termUnderCursor(line) else { return nil }
        var word = String(line.characters[term])
        if word.hasPrefix("!") { word.removeFirst() }
        return (keys + ["category"]).contains(where: { $0.hasPrefix(word) }) ? term : nil
    }

    /// The whole term the cursor is in or touches (`level:er|r`, `level:err|`), wherever it is on
    /// the line: the one being edited, which the prefix rules above and below apply to.
    static func termUnderCursor(_ line: LineEditor) -> Range<Int>? {
        let characters = line.characters
        var start = line.cursor
        while start > 0, !characters[start - 1].isWhitespace { start -= 1 }
        var end = line.cursor
        while end < characters.count, !characters[end].isWhitespace { end += 1 }
        return start < end ? start..<end : nil
    }

    /// The term under the cursor while its value is still being typed towards a known one
    /// (`level:err` on its way to `level:error`, or `level:` just completed): its characters in the
    /// line and the values it may become, or nil. Such a term is not an error yet; the line lists
    /// its candidates instead, and the live query leaves it out until it parses or Enter is pressed.
    public func valueBeingTyped(_ line: LineEditor) -> (range: Range<Int>, candidates: Completion)? {
        guard let term = Self.termUnderCursor(line) else { return nil }
        let word = String(line.characters[term])
        guard word.contains(":"), !word.hasPrefix("\"") else { return nil }
        let found = candidates(for: word)
        guard !found.candidates.isEmpty else { return nil }
        let range = term.lowerBound + found.replacing.lowerBound..<term.upperBound
        return (term, Completion(candidates: found.candidates, index: nil, range: range))
    }

    /// The values a key takes, or an empty list for free-form ones (`times_seen:`, `id:`).
    public func values(for key: String) -> [String] {
        switch key {
        case "is": return QueryParser.statuses
        case "type", "issue.type": return registry.types.map(\.slug).sorted()
        case "issue.category", "category": return registry.categories.map(\.name).sorted()
        case "level": return Level.allCases.map(\.rawValue)
        case "project": return projects.sorted().map(String.init)
        case "priority": return PriorityBand.allCases.map(\.rawValue)
        case "has": return QueryParser.hasValues
        case "assigned": return ["me"] + assignees.filter { $0 != "me" }
        case "last_seen": return ["-1h", "-24h", "-7d", "+1h", "+24h", "+7d"]
        default: return []
        }
    }

    /// The candidates for the word being typed: keys (with their colon) before a colon, the key's
    /// values after it (the part after the last comma of a list). Prefix matches, in order.
    public func candidates(for word: String) -> (replacing: Range<Int>, candidates: [String]) {
        let characters = Array(word)
        let negation = characters.first == "!" ? 1 : 0
        guard let colon = characters.firstIndex(of: ":") else {
            let typed = String(characters[negation...]).lowercased()
            return (negation..<characters.count, Self.keys.filter { $0.hasPrefix(typed) }.map { $0 + ":" })
        }
        let key = String(characters[negation..<colon]).lowercased()
        let itemStart = (characters.lastIndex(of: ",").map { $0 + 1 } ?? colon + 1)
        let typed = String(characters[itemStart...]).lowercased()
        return (itemStart..<characters.count, values(for: key).filter { $0.lowercased().hasPrefix(typed) })
    }

    /// The query language in examples, for `?`.
    static let help: [(example: String, meaning: String)] = [
        ("is:unresolved", "status: unresolved resolved ignored (archived, muted) new ongoing regressed escalating"),
        ("type:error,cron…", "group type slug (issue.type: too); `triage types` lists them"),
        ("issue.category:NAME", "the types of a category"),
        ("level:fatal,error", "fatal error warning info debug"),
        ("project:1", "project id"),
        ("priority:high", "low medium high"),
        ("times_seen:>10", "event count: < <= > >= = N"),
        ("last_seen:-1h", "seen within 1h (+1h: not seen for 1h); s m h d w"),
        ("has:important", "has an important evidence row"),
        ("id:P1-3F,42", "these groups (:P1-3F jumps to one)"),
        ("assigned:me,alice", "assigned to you or to these names; is:assigned, is:unassigned"),
        ("!level:debug", "! before a key negates it"),
        ("timeout \"db down\"", "words and quoted phrases match title, subtitle, culprit"),
        ("lev", "a word a key starts with waits while typed (the line says so); Enter searches it as text"),
        ("Tab", "completes keys and values; Tab again steps through the candidates"),
    ]
}
