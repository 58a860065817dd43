import TriageEngine

/// Draws a `LineEditor` in a given width: the prompt, the text with `▏` at the cursor, and an
/// optional note after it (the query's error). A line longer than the room scrolls sideways, cut
/// with `…`, so the cursor is always on screen and the note keeps room to be read.
enum LineEditorView {
    static let cursorGlyph = "▏"
    /// The note never squeezes the line below this many columns (or the line's own width).
    static let minimumLineRoom = 16

    @discardableResult
    static func render(prompt: String, _ line: LineEditor, note: String? = nil, x: Int, y: Int, width: Int,
                       role: Role, noteRole: Role = .errorMessage, into grid: inout Grid) -> Int {
        let used = min(width, TerminalText.width(TerminalText.sanitize(prompt)))
        let room = max(0, width - used)
        let lineWidth = TerminalText.width(TerminalText.sanitize(line.text)) + 1
        let noteWidth = note.map(TerminalText.width) ?? 0
        // A line that fits in half the room is shown whole; a longer one gives way to the note down to
        // `minimumLineRoom` columns, scrolling to keep the cursor in view.
        let lineRoom = lineWidth + noteWidth <= room || lineWidth <= room / 2 ? lineWidth
            : min(room, max(min(lineWidth, minimumLineRoom), room - noteWidth))
        // Put as one row of spans: what the width cuts (the note, mostly) ends with `…`.
        var all = [Span(text: prompt, role: role)] + spans(line, room: lineRoom, role: role)
        if let note { all.append(Span(text: note, role: noteRole)) }
        return grid.put(all, x: x, y: y, columns: width)
    }

    /// The line as it fits in `room` columns: the window of text around the cursor, `…` where cut.
    static func spans(_ line: LineEditor, room: Int, role: Role) -> [Span] {
        // Sanitized as one text (a joiner typed between two emoji stays: 👩‍💻), then split back into the
        // editor's characters: sanitizing maps each scalar to one.
        var clean = TerminalText.sanitize(line.text).unicodeScalars.makeIterator()
        var items = line.characters.map { character in
            var item = ""
            for _ in character.unicodeScalars { if let scalar = clean.next() { item.unicodeScalars.append(scalar) } }
            return item
        }
        // Widths counted along the whole line, as the line's own width is (a joined emoji adds none).
        var counter = TerminalText.Columns()
        var widths = items.map { item in item.unicodeScalars.reduce(0) { $0 + counter.width(of: $1) } }
        items.insert(cursorGlyph, at: line.cursor)
        widths.insert(TerminalText.width(cursorGlyph), at: line.cursor)
        let window = visibleWindow(widths, cursor: line.cursor, room: room)
        var spans: [Span] = []
        if window.lowerBound > 0 { spans.append(Span(text: "…", role: .dim)) }
        spans.append(Span(text: items[window].joined(), role: role))
        if window.upperBound < items.count { spans.append(Span(text: "…", role: .dim)) }
        return spans
    }

    /// The items (characters and the cursor) to show in `room` columns, counting a `…` on each side
    /// that is cut. The end of the line stays in view while the cursor is near it; further back, the
    /// cursor sits a third of the way from the right, with the text it is heading into beside it.
    static func visibleWindow(_ widths: [Int], cursor: Int, room: Int) -> Range<Int> {
        func columns(_ range: Range<Int>) -> Int {
            widths[range].reduce(0, +) + (range.lowerBound > 0 ? 1 : 0) + (range.upperBound < widths.count ? 1 : 0)
        }
        var start = cursor
        var end = widths.count
        if columns(start..<end) > room {
            end = cursor + 1
            while end < widths.count, columns(start..<end + 1) <= max(1, room / 3) { end += 1 }
        }
        while start > 0, columns(start - 1..<end) <= room { start -= 1 }
        while end < widths.count, columns(start..<end + 1) <= room { end += 1 }
        return start..<end
    }
}
