import TriageEngine

/// Messages longer than the screen: wrapped onto the row above the status line, and kept whole for
/// `:messages`, so the end of one is never lost at the edge.
enum MessageViews {
    /// Rows a status-line message may take; past them it ends with `…` and says where it is whole.
    static let statusRows = 2
    static let wholeIn = " (:messages)"

    /// `text` in rows of at most `width` columns, broken after a space where the row has one (else
    /// inside a word). Past `limit` rows, the last ends with `…` and `more`.
    static func rows(_ text: String, width: Int, limit: Int = .max, more: String = "") -> [String] {
        guard width > 0 else { return [] }
        var rows: [String] = []
        var row: [Character] = []
        var used = 0
        for character in TerminalText.sanitize(text) {
            let characterWidth = TerminalText.width(String(character))
            if used + characterWidth > width, !row.isEmpty {
                if let space = row.lastIndex(of: " "), space > 0 {
                    rows.append(String(row[..<space]))
                    row = Array(row[(space + 1)...])
                } else {
                    rows.append(String(row))
                    row = []
                }
                used = TerminalText.width(String(row))
            }
            row.append(character)
            used += characterWidth
        }
        if !row.isEmpty { rows.append(String(row)) }
        guard rows.count > limit, limit > 0 else { return rows }
        let last = TerminalText.fit(rows[limit - 1] + " " + rows[limit], columns: max(1, width - TerminalText.width(more))) + more
        return Array(rows.prefix(limit - 1)) + [last]
    }

    /// A message or question on the status line, on the row above as well when it is too long for one.
    static func renderOnStatusLine(_ text: String, role: Role, attributes: Attributes = [], into grid: inout Grid) {
        let y = grid.height - 1
        let lines = rows(text, width: grid.width - 1, limit: min(statusRows, y), more: wholeIn)
        for (index, row) in lines.enumerated() {
            let rowY = y - lines.count + 1 + index
            grid.fill(Rect(x: 0, y: rowY, width: grid.width, height: 1), role: .statusLine)
            grid.put(" " + row, x: 0, y: rowY, role: role, attributes: attributes)
        }
    }
}

extension OverlayViews {
    /// The message log as the `:messages` box shows it: each message wrapped to the box, errors in
    /// their colour, oldest first.
    static func messageLines(_ log: [Message], width: Int) -> [[Span]] {
        guard !log.isEmpty else { return [[Span(text: "no messages yet", role: .dim)]] }
        return log.flatMap { message in
            MessageViews.rows(message.text, width: max(8, width - 8)).enumerated().map { index, row in
                [Span(text: (index == 0 ? "• " : "  ") + row, role: message.kind == .error ? .errorMessage : .row)]
            }
        }
    }

    static func messages(_ log: [Message], scroll: Int, keymap: Keymap, into grid: inout Grid) {
        box("Messages, newest last", lines: messageLines(log, width: grid.width), footer: [Span(text: "\(keyList(keymap, .quit)) closes", role: .dim)],
            scroll: scroll, keymap: keymap, into: &grid)
    }
}
