/// Every glyph the UI draws, with what it becomes where Unicode cannot be drawn (`--no-unicode`, a
/// non-UTF-8 locale): chosen here only, and applied to the whole frame (`Grid.drawingASCIIGlyphs`),
/// so no view can forget one. Each stand-in is as wide as its glyph, so layouts hold.
enum Glyphs {
    static let ascii: [String: String] = [
        // Boxes and charts.
        "┌": "+", "┐": "+", "└": "+", "┘": "+", "─": "-", "│": "|", "┤": "|", "┄": "-",
        // Markers: the cursor's row, marks, following / paused, cut text, wrapped values.
        "▌": ">", "●": "*", "◉": "@", "‖": "=", "…": "~", "↪": ">", "▶": ">", "▏": "|",
        // Arrows, separators, status letters, keys.
        "↑": "^", "↓": "v", "→": ">", "←": "<", "·": "-", "–": "-", "—": "-", "•": "*",
        "✓": "+", "✗": "x", "⏎": "<", "⌫": "<", "⇧": "S", "◌": "o", "\u{FFFD}": "?", "“": "\"", "”": "\"",
        // Two columns wide, as the bell is.
        "🔔": "!!",
        // The sparkline's and chart's eight heights.
        "▁": "_", "▂": ".", "▃": ",", "▄": "-", "▅": "~", "▆": "=", "▇": "*", "█": "#",
    ]

    /// The stand-in for a cell's text, if it is a glyph; control pictures (`␛` for an ESC in a
    /// payload) become `?`, the terminal's own sign for what it cannot show.
    static func ascii(for text: String) -> String? {
        if let replacement = ascii[text] { return replacement }
        if let scalar = text.unicodeScalars.first, (0x2400...0x2421).contains(scalar.value) { return "?" }
        return nil
    }
}

extension Grid {
    /// The frame with every glyph in `Glyphs.ascii` replaced by its stand-in, cell by cell.
    mutating func drawingASCIIGlyphs() {
        for index in cells.indices where cells[index].width > 0 {
            guard let replacement = Glyphs.ascii(for: cells[index].text) else { continue }
            let characters = Array(replacement)
            cells[index].text = String(characters[0])
            if cells[index].width == 2, index + 1 < cells.count {
                cells[index].width = 1
                cells[index + 1].width = 1
                cells[index + 1].text = characters.count > 1 ? String(characters[1]) : " "
            }
        }
    }
}
