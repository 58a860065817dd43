/// A word of a query with its 1-based column, for error messages.
struct QueryWord: Equatable {
    let text: String
    let column: Int
    /// Came from a "quoted phrase": always free text, never a key:value term.
    let quoted: Bool
}

/// Splits a query into words on spaces, keeping "quoted phrases" (and `key:"quoted value"`) together.
enum QueryLexer {
    static func words(_ query: String) throws(QueryError) -> [QueryWord] {
        var words: [QueryWord] = []
        var current = ""
        var start = 0
        var inQuotes = false
        var wholeWordQuoted = false
        var quoteColumn = 0
        for (offset, character) in query.enumerated() {
            let column = offset + 1
            if character == "\"" {
                if !inQuotes {
                    if current.isEmpty { start = column; wholeWordQuoted = true }
                    quoteColumn = column
                }
                inQuotes.toggle()
                continue
            }
            if character.isWhitespace && !inQuotes {
                if !current.isEmpty || wholeWordQuoted {
                    words.append(QueryWord(text: current, column: start, quoted: wholeWordQuoted))
                }
                current = ""
                wholeWordQuoted = false
                continue
            }
            if current.isEmpty && !wholeWordQuoted { start = column }
            current.append(character)
        }
        if inQuotes { throw QueryError(message: "unclosed quote", column: quoteColumn) }
        if !current.isEmpty || wholeWordQuoted {
            words.append(QueryWord(text: current, column: start, quoted: wholeWordQuoted))
        }
        return words.filter { !($0.quoted && $0.text.isEmpty) }
    }
}

/// A query that cannot be understood: what and where (1-based column).
public struct QueryError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public let column: Int
    /// "did you mean …?" when a known key or value is close to the one given (`QuerySuggestion`).
    public var suggestion: String? = nil

    public var description: String { "\(message)\(suggestion.map { "; \($0)" } ?? "") (at column \(column))" }
}
