/// Parses the query language of the CLI contract (and the TUI's `/` line). Type slugs and category
/// names are checked against the registry, so a typo is an error rather than an empty result.
public struct QueryParser: Sendable {
    public let registry: GroupTypeRegistry
    /// Who `assigned:me` means (on SQLite `$TRIAGE_USER`, else the login name); nil where nobody asks.
    public let me: String?

    public init(registry: GroupTypeRegistry, me: String? = nil) {
        self.registry = registry
        self.me = me
    }

    /// Every key, as typed before the colon (`!` in front negates any of them; `category` is also
    /// taken for `issue.category`).
    public static let keys = ["is", "type", "issue.type", "issue.category", "level", "project", "priority", "has",
                              "times_seen", "last_seen", "id", "assigned"]

    /// What `has:` takes.
    public static let hasValues = ["important"]

    /// What `is:` takes.
    public static let statuses = StatusMatch.allCases.map(\.rawValue) + ["archived", "muted", "assigned", "unassigned"]

    public func parse(_ query: String) throws(QueryError) -> GroupQuery {
        var terms: [QueryTerm] = []
        for word in try QueryLexer.words(query) {
            terms.append(try term(word))
        }
        return GroupQuery(terms: terms, source: query)
    }

    private func term(_ word: QueryWord) throws(QueryError) -> QueryTerm {
        if word.quoted { return QueryTerm(negated: false, filter: .text(SearchText.fold(word.text))) }
        var text = Substring(word.text)
        let negated = text.hasPrefix("!") && text.contains(":")
        if negated { text = text.dropFirst() }
        guard let colon = text.firstIndex(of: ":") else {
            // `!word` read as the text "!word" matched nothing, silently: say what `!` is for.
            if text.hasPrefix("!"), text.count > 1 {
                throw QueryError(message: "! leaves out a key's values (!type:error, !level:info), not a word; to search for \(text) itself, quote it",
                                 column: word.column)
            }
            return QueryTerm(negated: false, filter: .text(SearchText.fold(word.text)))
        }
        // Keys and named values are read in any case (`LEVEL:Error`), as the completion offers them.
        let key = String(text[..<colon]).lowercased()
        let value = String(text[text.index(after: colon)...])
        let valueColumn = word.column + (negated ? 1 : 0) + key.count + 1
        guard !value.isEmpty else { throw QueryError(message: "\(key): needs a value", column: valueColumn) }
        return QueryTerm(negated: negated, filter: try filter(key: key, typed: String(text[..<colon]), value: value, column: word.column,
                                                             valueColumn: valueColumn))
    }

    /// `key` as looked up (lower case), `typed` as the user wrote it, for the message naming an unknown one.
    private func filter(key: String, typed: String, value: String, column: Int, valueColumn: Int) throws(QueryError) -> QueryFilter {
        let values = value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        func each<T>(_ read: (String) -> T?, _ what: String, choices: [String] = []) throws(QueryError) -> [T] {
            var results: [T] = []
            var itemColumn = valueColumn
            for item in values {
                guard let parsed = read(item) ?? read(item.lowercased()) else {
                    throw QueryError(message: "\(key): unknown \(what) \(Sanitized.quote(item))", column: itemColumn,
                                     suggestion: QuerySuggestion.didYouMean(item, among: choices))
                }
                results.append(parsed)
                itemColumn += item.count + 1
            }
            return results
        }
        switch key {
        case "is":
            let value = value.lowercased()
            if value == "assigned" || value == "unassigned" { return .assigned(value == "assigned") }
            guard let match = StatusMatch.named(value) else {
                throw QueryError(message: "is: unknown status \(Sanitized.quote(value)); use unresolved, resolved, ignored, archived, muted, new, ongoing, regressed, escalating, assigned or unassigned", column: valueColumn,
                                 suggestion: QuerySuggestion.didYouMean(value, among: Self.statuses))
            }
            return .status(match)
        case "assigned":
            if me == nil, values.contains("me") {
                throw QueryError(message: "assigned:me: who you are is not known here; name the assignee", column: valueColumn)
            }
            return .assignees(try each({ name in
                guard name == "me" else { return try? AssigneeName.validate(name) }
                return me
            }, "assignee (a name, or me)"))
        case "issue.type", "type":
            return .types(try each({ registry.type(slug: $0)?.id }, "type (see `triage types`)", choices: registry.types.map(\.slug).sorted()))
        case "issue.category", "category":
            return .categories(try each({ registry.category(named: $0)?.id }, "category", choices: registry.categories.map(\.name).sorted()))
        case "level":
            return .levels(try each({ Level(rawValue: $0) }, "level", choices: Level.allCases.map(\.rawValue)))
        case "project":
            return .projects(try each({ Int64($0) }, "project id"))
        case "priority":
            return .priorities(try each({ PriorityBand(rawValue: $0) }, "priority (low, medium, high)", choices: PriorityBand.allCases.map(\.rawValue)))
        case "times_seen":
            return try timesSeen(value, column: valueColumn)
        case "last_seen":
            return .lastSeen(try recency(value, column: valueColumn))
        case "id":
            return .groups(try each({ ShortID.parse($0).map { GroupReference(groupID: $0.groupID, projectID: $0.projectID) } }, "group id (42 or P1-3F)"))
        case "has":
            guard value.lowercased() == "important" else {
                throw QueryError(message: "has: only has:important is supported", column: valueColumn,
                                 suggestion: QuerySuggestion.didYouMean(value, among: Self.hasValues))
            }
            return .hasImportantEvidence
        default:
            throw QueryError(message: "unknown key \(Sanitized.quote(typed)); put the word in quotes to search for it as text", column: column,
                             suggestion: QuerySuggestion.didYouMean(key, among: Self.keys, suffix: ":"))
        }
    }

    private func timesSeen(_ value: String, column: Int) throws(QueryError) -> QueryFilter {
        for comparison in [Comparison.greaterOrEqual, .lessOrEqual, .greater, .less, .equal] where value.hasPrefix(comparison.rawValue) {
            if let number = Int(value.dropFirst(comparison.rawValue.count)) { return .timesSeen(comparison, number) }
        }
        if let number = Int(value) { return .timesSeen(.equal, number) }
        throw QueryError(message: "times_seen: expected a count such as >10, <5 or 3", column: column)
    }

    private func recency(_ value: String, column: Int) throws(QueryError) -> Recency {
        guard let sign = value.first, sign == "-" || sign == "+",
              let seconds = DurationText.seconds(String(value.dropFirst()))
        else { throw QueryError(message: "last_seen: expected -DURATION or +DURATION such as -1h, -30m, +7d", column: column) }
        return sign == "-" ? .within(seconds) : .olderThan(seconds)
    }
}

/// Durations as users type them: `90s`, `30m`, `1h`, `7d`, `2w` (also combined: `1h30m`).
public enum DurationText {
    /// The largest whole units, as typed: 5400 → `1h30m`, 604800 → `1w`.
    public static func format(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 1 else { return "0s" }
        var rest = Int(min(seconds, longest).rounded())
        var text = ""
        for (unit, size) in [("w", 604_800), ("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }

    public static func seconds(_ text: String) -> Double? {
        var total = 0.0
        var number = ""
        var sawUnit = false
        for character in text {
            if character.isASCII, character.isNumber {
                number.append(character)
                continue
            }
            guard let value = Double(number) else { return nil }
            let unit: Double
            switch character {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            case "d": unit = 86_400
            case "w": unit = 604_800
            default: return nil
            }
            total += value * unit
            number = ""
            sawUnit = true
        }
        guard number.isEmpty, sawUnit, total > 0, total <= longest else { return nil }
        return total
    }

    /// About 31,700 years: longer is a typo, and a duration must stay a finite, convertible number.
    static let longest = 1e12
}
