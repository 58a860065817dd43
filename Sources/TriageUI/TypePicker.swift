import TriageEngine

/// The `t` overlay: the types present under the current query (its type terms left out), with
/// counts. Space toggles several; Enter filters by the toggled ones, or by the one under the cursor.
public struct TypePicker: Sendable {
    public struct Entry: Sendable, Equatable {
        public let slug: String
        public let count: Int
        public var chosen: Bool
    }

    public var entries: [Entry]
    public var cursor = 0

    /// The slugs to filter by.
    public var selection: [String] {
        let chosen = entries.filter(\.chosen).map(\.slug)
        if !chosen.isEmpty { return chosen }
        return entries.indices.contains(cursor) ? [entries[cursor].slug] : []
    }

    /// The query text with its `type:` terms replaced by one for `slugs` (none: no type filter).
    public static func query(_ source: String, filteringBy slugs: [String]) -> String {
        var words = source.split(separator: " ").map(String.init).filter { !isTypeTerm($0) }
        if !slugs.isEmpty { words.append("type:" + slugs.joined(separator: ",")) }
        return words.joined(separator: " ")
    }

    /// The current query's type terms, to pre-select them.
    static func slugs(in source: String) -> Set<String> {
        Set(source.split(separator: " ").filter { $0.hasPrefix("type:") }.flatMap { $0.dropFirst(5).split(separator: ",").map(String.init) })
    }

    static func isTypeTerm(_ word: String) -> Bool {
        word.hasPrefix("type:") || word.hasPrefix("!type:") || word.hasPrefix("-type:")
    }
}
