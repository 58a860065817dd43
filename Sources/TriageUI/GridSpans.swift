import TriageEngine

extension Grid {
    /// Writes `spans` side by side in at most `columns`; a line that does not fit ends with `…` where
    /// it is cut (in the cut span's role), so nothing is ever lost at an edge without a sign.
    /// Returns the columns used.
    @discardableResult
    mutating func put(_ spans: [Span], x: Int, y: Int, columns: Int) -> Int {
        guard columns > 0 else { return 0 }
        let fits = spans.reduce(0) { $0 + TerminalText.width($1.text) } <= columns
        var used = 0
        for span in spans {
            let room = columns - used
            let text = fits || TerminalText.width(span.text) < room ? span.text : TerminalText.fit(span.text, columns: room)
            used += put(text, x: x + used, y: y, role: span.role, attributes: span.attributes, maxColumns: room)
            if !fits, text != span.text { break }
        }
        return used
    }
}
