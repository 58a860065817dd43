import TriageEngine

/// Word-wraps a line of spans: what does not fit in `columns` goes on further lines, each starting
/// with `indent` blank columns (or `marker` at its end: details' `↪`), so a description continues
/// under its own column instead of being cut. Lines break between words; a word is broken only
/// when it is longer than a whole line.
enum SpanWrap {
    static func wrap(_ line: [Span], columns: Int, indent: Int, marker: String = "") -> [[Span]] {
        let total = line.reduce(0) { $0 + TerminalText.width($1.text) }
        guard total > columns, columns > indent + 4 else { return [line] }
        var result: [[Span]] = []
        var current: [Span] = []
        var used = 0
        func newLine() {
            // The spaces a line ends with would count against its width: the next word went on instead.
            if let last = current.last {
                current[current.count - 1] = Span(text: last.text.trimmingTrailingSpaces, role: last.role, attributes: last.attributes)
            }
            result.append(current)
            let lead = String(repeating: " ", count: max(0, indent - TerminalText.width(marker)))
            current = marker.isEmpty ? [Span(text: lead, role: .row)] : [Span(text: lead + marker, role: .dim)]
            used = indent
        }
        for span in line {
            for word in words(span.text) {
                var word = word
                if used + TerminalText.width(word.trimmingTrailingSpaces) > columns, used > indent {
                    newLine()
                    word = String(word.drop { $0 == " " })
                }
                // A word longer than a whole line is broken where the line ends.
                while used + TerminalText.width(word.trimmingTrailingSpaces) > columns {
                    let (head, tail) = split(word, columns: columns - used)
                    current.append(Span(text: head, role: span.role, attributes: span.attributes))
                    newLine()
                    word = tail
                }
                current.append(Span(text: word, role: span.role, attributes: span.attributes))
                used += TerminalText.width(word)
            }
        }
        result.append(current)
        return result
    }

    /// The text as words, each with the spaces after it (leading spaces are a word of their own).
    private static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in text {
            if character != " ", current.last == " " {
                words.append(current)
                current = ""
            }
            current.append(character)
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// The longest head of `word` that fits in `columns` (at least one character), and the rest.
    private static func split(_ word: String, columns: Int) -> (String, String) {
        var head = ""
        var used = 0
        var counter = TerminalText.Columns()
        for (offset, character) in word.enumerated() {
            let width = character.unicodeScalars.reduce(0) { $0 + counter.width(of: $1) }
            if used + width > columns, !head.isEmpty { return (head, String(word.dropFirst(offset))) }
            head.append(character)
            used += width
        }
        return (head, "")
    }
}

private extension String {
    var trimmingTrailingSpaces: String { String(reversed().drop { $0 == " " }.reversed()) }
}
