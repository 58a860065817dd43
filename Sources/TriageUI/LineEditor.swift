/// One line of text being typed, with the editing shells taught everyone's fingers (readline's emacs
/// mode): every input line of the UI (the `/` query, the `:` line, the panels' prompts) is one of these.
///
/// ```
/// var line = LineEditor("is:unresolved foo")
/// line.handle(.control("w"))   // "is:unresolved ", and "foo" can be yanked back with Ctrl-Y
/// ```
public struct LineEditor: Sendable, Equatable {
    /// Characters (grapheme clusters), not a `String`, so the cursor is an offset that never lands
    /// inside one; every edit keeps them whole (`splice`).
    public private(set) var characters: [Character]
    /// Where the next character goes: 0 is before the first, `characters.count` after the last.
    public private(set) var cursor: Int
    /// The text the last kill (`Ctrl-W`, `Ctrl-K`, `Ctrl-U`, `M-Backspace`, `M-d`) removed, for `Ctrl-Y`;
    /// kills in a row add to it, as in readline, so `Ctrl-W Ctrl-W Ctrl-Y` yanks both words back.
    public var killBuffer: String
    /// Whether the last key was a kill: the next kill then adds to `killBuffer` instead of replacing it.
    private var lastKeyKilled = false

    /// What a key did: the owner re-runs a live query only when the text changed.
    public enum Outcome: Sendable, Equatable {
        case edited
        case moved
        /// Not an editing key (Enter, Esc, Tab, ↑ ↓…): the line's owner decides.
        case unhandled
    }

    public init(_ text: String = "", cursor: Int? = nil, killBuffer: String = "") {
        characters = Array(text)
        self.cursor = min(max(0, cursor ?? characters.count), characters.count)
        self.killBuffer = killBuffer
    }

    public var text: String { String(characters) }
    public var isEmpty: Bool { characters.isEmpty }

    /// The text before and after the cursor (what the views draw on either side of it).
    public var beforeCursor: String { String(characters[..<cursor]) }
    public var afterCursor: String { String(characters[cursor...]) }

    /// Replaces the whole text (history, completion), cursor at the end.
    public mutating func replace(with text: String) {
        characters = Array(text)
        cursor = characters.count
    }

    /// Replaces `range` (character offsets) with `text` and puts the cursor after it.
    public mutating func replace(_ range: Range<Int>, with text: String) {
        let clamped = min(range.lowerBound, characters.count)..<min(range.upperBound, characters.count)
        splice(before: String(characters[..<clamped.lowerBound]) + text, after: String(characters[clamped.upperBound...]))
    }

    public mutating func insert(_ text: String) {
        splice(before: String(characters[..<cursor]) + text, after: String(characters[cursor...]))
    }

    /// Sets the text to `before` + `after`, cursor between them, as whole grapheme clusters: the
    /// terminal sends a joined emoji (👩‍💻) or a combining accent (e + ◌́) scalar by scalar, and
    /// each must join the character before it, or the cursor, Backspace and the word motions
    /// would split it. A cluster that spans the join leaves the cursor after it.
    private mutating func splice(before: String, after: String) {
        let whole = before + after
        characters = Array(whole)
        let boundary = before.unicodeScalars.count
        var scalars = 0
        cursor = 0
        for character in characters where scalars < boundary {
            scalars += character.unicodeScalars.count
            cursor += 1
        }
    }

    @discardableResult
    public mutating func handle(_ key: Key) -> Outcome {
        let killedBefore = lastKeyKilled
        lastKeyKilled = false
        switch key {
        case let .character(character):
            insert(String(character))
            return .edited
        case let .paste(text):
            // One line: line breaks and tabs become spaces (a pasted newline once ran the query and
            // then the rest of the paste as list keys); other controls are dropped.
            let flat = String(String.UnicodeScalarView(text.unicodeScalars.compactMap { scalar in
                [0x0A, 0x0D, 0x09].contains(scalar.value) ? " " : (scalar.value < 0x20 || scalar.value == 0x7F ? nil : scalar)
            }))
            guard !flat.isEmpty else { return .moved }
            insert(flat)
            return .edited
        case .left, .control("b"): return move(to: cursor - 1)
        case .right, .control("f"): return move(to: cursor + 1)
        case .home, .control("a"): return move(to: 0)
        case .end, .control("e"): return move(to: characters.count)
        case .alt(.character("b")), .alt(.left): return move(to: wordStart(before: cursor))
        case .alt(.character("f")), .alt(.right): return move(to: wordEnd(after: cursor))
        case .backspace, .control("h"):
            guard cursor > 0 else { return .moved }
            splice(before: String(characters[..<(cursor - 1)]), after: String(characters[cursor...]))
            return .edited
        case .delete, .control("d"):
            guard cursor < characters.count else { return .moved }
            splice(before: String(characters[..<cursor]), after: String(characters[(cursor + 1)...]))
            return .edited
        case .control("w"): return kill(termStart(before: cursor)..<cursor, adding: killedBefore)
        case .alt(.backspace), .alt(.control("h")): return kill(wordStart(before: cursor)..<cursor, adding: killedBefore)
        case .alt(.character("d")): return kill(cursor..<wordEnd(after: cursor), adding: killedBefore)
        case .control("u"): return kill(0..<cursor, adding: killedBefore)
        case .control("k"): return kill(cursor..<characters.count, adding: killedBefore)
        case .control("y"):
            guard !killBuffer.isEmpty else { return .moved }
            insert(killBuffer)
            return .edited
        default:
            return .unhandled
        }
    }

    private mutating func move(to position: Int) -> Outcome {
        cursor = min(max(0, position), characters.count)
        return .moved
    }

    /// Removes `range` into the kill buffer; `adding` to a kill just before, a backward kill (text
    /// before the cursor) goes in front of it and a forward one after it, keeping the line's order.
    private mutating func kill(_ range: Range<Int>, adding: Bool) -> Outcome {
        lastKeyKilled = adding
        guard !range.isEmpty else { return .moved }
        lastKeyKilled = true
        let killed = String(characters[range])
        killBuffer = !adding ? killed : range.upperBound == cursor ? killed + killBuffer : killBuffer + killed
        splice(before: String(characters[..<range.lowerBound]), after: String(characters[range.upperBound...]))
        return .edited
    }

    /// `Ctrl-W` removes a whole query term: back over spaces, then to the previous space (readline's
    /// unix-word-rubout), so `type:monitor_check` goes in one stroke.
    private func termStart(before position: Int) -> Int {
        var index = position
        while index > 0, characters[index - 1].isWhitespace { index -= 1 }
        while index > 0, !characters[index - 1].isWhitespace { index -= 1 }
        return index
    }

    /// Words for `M-b`, `M-f` and `M-Backspace` are runs of letters and digits, as in readline, so
    /// they step through the parts of `type:monitor_check_in_failure`.
    private func wordStart(before position: Int) -> Int {
        var index = position
        while index > 0, !Self.isWordCharacter(characters[index - 1]) { index -= 1 }
        while index > 0, Self.isWordCharacter(characters[index - 1]) { index -= 1 }
        return index
    }

    private func wordEnd(after position: Int) -> Int {
        var index = position
        while index < characters.count, !Self.isWordCharacter(characters[index]) { index += 1 }
        while index < characters.count, Self.isWordCharacter(characters[index]) { index += 1 }
        return index
    }

    private static func isWordCharacter(_ character: Character) -> Bool { character.isLetter || character.isNumber }
}
