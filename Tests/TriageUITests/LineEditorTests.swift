import Testing
@testable import TriageUI

/// The editing every input line shares: readline's emacs keys, one value type.
@Suite struct LineEditorTests {
    /// The line with `|` at the cursor, to read the state at a glance.
    private func shown(_ line: LineEditor) -> String { line.beforeCursor + "|" + line.afterCursor }

    private func typed(_ text: String, _ keys: Key...) -> LineEditor {
        var line = LineEditor(text)
        for key in keys { line.handle(key) }
        return line
    }

    @Test func test_typingInsertsAtTheCursor() {
        #expect(shown(typed("is:unresolved", .character(" "), .character("x"))) == "is:unresolved x|")
        #expect(shown(typed("ac", .left, .character("b"))) == "ab|c")
        #expect(shown(typed("日本", .left, .character("x"))) == "日x|本", "wide characters are one step each")
    }

    /// The terminal sends a joined emoji or a combining accent scalar by scalar: each joins the
    /// character before it, so the cursor, Backspace, Delete and the word keys treat it as one.
    @Test func test_graphemeClustersTypedScalarByScalarStayWhole() {
        let pieces: [Character] = ["a", "👩", "\u{200D}", "💻", "e", "\u{301}", "b"]
        var line = LineEditor()
        for piece in pieces { line.handle(.character(piece)) }
        #expect(line.text == "a👩‍💻e\u{301}b")
        #expect(line.characters.count == 4, "a, 👩‍💻, é, b: \(line.characters)")
        #expect(line.characters == Array(line.text), "the characters are the text's clusters")
        line.handle(.left)
        line.handle(.backspace)
        #expect(shown(line) == "a👩‍💻|b", "Backspace takes e and its accent together")
        line.handle(.left)
        #expect(shown(line) == "a|👩‍💻b", "← steps over the whole emoji")
        line.handle(.delete)
        #expect(shown(line) == "a|b", "Delete takes the whole emoji")
        // An accent typed after a cursor moved back joins the character before the cursor.
        var accent = LineEditor("cafe bar")
        accent.handle(.alt(.character("b")))
        accent.handle(.left)
        accent.handle(.character("\u{301}"))
        #expect(shown(accent) == "cafe\u{301}| bar" && accent.characters.count == 8)
        accent.handle(.alt(.backspace))
        #expect(shown(accent) == "| bar", "M-Backspace takes the word, accent and all")
        var word = LineEditor("x 👩")
        word.handle(.character("\u{200D}"))
        word.handle(.character("💻"))
        word.handle(.control("w"))
        #expect(shown(word) == "x |" && word.killBuffer == "👩‍💻")
    }

    @Test func test_characterMovesStopAtTheEnds() {
        #expect(shown(typed("abc", .left, .control("b"))) == "a|bc")
        #expect(shown(typed("abc", .control("a"), .right, .control("f"))) == "ab|c")
        #expect(shown(typed("abc", .left, .left, .left, .left, .control("b"))) == "|abc")
        #expect(shown(typed("abc", .right, .control("f"))) == "abc|")
        var line = typed("abc", .left)
        #expect(line.handle(.right) == .moved)
    }

    @Test func test_homeEndAndTheirControlKeys() {
        #expect(shown(typed("level:fatal", .home)) == "|level:fatal")
        #expect(shown(typed("level:fatal", .control("a"))) == "|level:fatal")
        #expect(shown(typed("level:fatal", .home, .end)) == "level:fatal|")
        #expect(shown(typed("level:fatal", .home, .control("e"))) == "level:fatal|")
    }

    @Test func test_wordMovesStepThroughTheLettersAndDigitsOfATerm() {
        let text = "is:unresolved type:monitor_check"
        #expect(shown(typed(text, .alt(.character("b")))) == "is:unresolved type:monitor_|check")
        #expect(shown(typed(text, .alt(.character("b")), .alt(.character("b")), .alt(.character("b")))) == "is:unresolved |type:monitor_check")
        #expect(shown(typed(text, .home, .alt(.character("f")))) == "is|:unresolved type:monitor_check")
        #expect(shown(typed(text, .home, .alt(.right), .alt(.right))) == "is:unresolved| type:monitor_check", "Ctrl/Alt-→ too")
        #expect(shown(typed(text, .alt(.left))) == "is:unresolved type:monitor_|check")
        #expect(shown(typed("a  ", .alt(.character("f")))) == "a  |", "at the end it stays")
    }

    @Test func test_backspaceDeleteAndCtrlD() {
        #expect(shown(typed("abc", .backspace)) == "ab|")
        #expect(shown(typed("abc", .left, .backspace)) == "a|c")
        #expect(shown(typed("abc", .home, .backspace)) == "|abc")
        var atStart = typed("abc", .home)
        #expect(atStart.handle(.backspace) == .moved, "nothing to remove is not an edit")
        #expect(shown(typed("abc", .home, .delete)) == "|bc")
        #expect(shown(typed("abc", .home, .control("d"))) == "|bc")
        #expect(shown(typed("abc", .delete)) == "abc|")
    }

    @Test func test_ctrlWRemovesTheWholeTermBeforeTheCursor() {
        #expect(shown(typed("is:unresolved type:monitor_check", .control("w"))) == "is:unresolved |")
        #expect(shown(typed("is:unresolved foo   ", .control("w"))) == "is:unresolved |", "trailing spaces go with the term")
        #expect(shown(typed("is:unresolved foo bar", .alt(.character("b")), .control("w"))) == "is:unresolved |bar")
        #expect(shown(typed("foo", .control("w"), .control("w"))) == "|")
    }

    @Test func test_altBackspaceAndAltDKillWords() {
        #expect(shown(typed("type:monitor_check", .alt(.backspace))) == "type:monitor_|")
        #expect(shown(typed("type:monitor_check", .alt(.backspace), .alt(.backspace))) == "type:|")
        #expect(shown(typed("type:monitor_check", .home, .alt(.character("d")))) == "|:monitor_check")
    }

    @Test func test_ctrlUAndCtrlKKillToEitherEnd() {
        #expect(shown(typed("is:unresolved level:fatal", .alt(.character("b")), .alt(.character("b")), .control("u"))) == "|level:fatal")
        #expect(shown(typed("is:unresolved level:fatal", .home, .alt(.character("f")), .control("k"))) == "is|")
        #expect(shown(typed("abc", .control("k"))) == "abc|")
    }

    @Test func test_ctrlYYanksTheLastKill() {
        var line = typed("is:unresolved level:fatal", .control("w"))
        #expect(line.killBuffer == "level:fatal")
        line.handle(.home)
        line.handle(.control("y"))
        line.handle(.character(" "))
        #expect(shown(line) == "level:fatal |is:unresolved ")
        line.handle(.control("k"))
        #expect(line.killBuffer == "is:unresolved ", "a kill after other keys replaces the buffer")
        line.handle(.control("y"))
        line.handle(.control("y"))
        #expect(line.text == "level:fatal is:unresolved is:unresolved ")
        var fresh = LineEditor("x")
        #expect(fresh.handle(.control("y")) == .moved, "an empty buffer yanks nothing")
    }

    /// Readline's rule: kills in a row make one kill, a backward one (`Ctrl-W`, `M-Backspace`,
    /// `Ctrl-U`) in front of it and a forward one (`Ctrl-K`, `M-d`) after it.
    @Test func test_killsInARowAccumulate() {
        var line = typed("is:unresolved level:fatal foo", .control("w"), .control("w"))
        #expect(line.killBuffer == "level:fatal foo")
        line.handle(.control("y"))
        #expect(shown(line) == "is:unresolved level:fatal foo|", "C-w C-w C-y yanks both words back")
        line = typed("is:unresolved level:fatal foo", .home, .alt(.character("d")), .alt(.character("d")), .control("k"))
        #expect(line.killBuffer == "is:unresolved level:fatal foo", "forward kills append in the line's order")
        line = typed("ab cd ef", .alt(.character("b")), .control("k"), .control("w"), .control("y"))
        #expect(shown(line) == "ab cd ef|", "C-k then C-w: the word goes in front of what C-k took")
        line = typed("ab cd", .control("w"), .left, .control("w"), .control("y"))
        #expect(line.killBuffer == "ab", "a movement between ends the run")
        line = typed("ab cd", .control("w"), .character("x"), .control("w"))
        #expect(line.killBuffer == "x", "so does typing")
    }

    @Test func test_keysThatAreNotEditingAreLeftToTheLinesOwner() {
        for key: Key in [.enter, .escape, .tab, .up, .down, .pageUp, .unrecognized("␛[25~"), .control("l")] {
            var line = LineEditor("abc", cursor: 1)
            #expect(line.handle(key) == .unhandled, "\(key)")
            #expect(shown(line) == "a|bc", "\(key) leaves the line as it was")
        }
    }

    @Test func test_replacingARangePutsTheCursorAfterIt() {
        var line = LineEditor("type:monit level:fatal", cursor: 10)
        line.replace(0..<10, with: "type:monitor_check_in_failure")
        #expect(shown(line) == "type:monitor_check_in_failure| level:fatal")
        line.replace(with: "is:ignored")
        #expect(shown(line) == "is:ignored|")
    }
}

/// Escape sequences read whole: known ones are keys, unknown ones one key that does nothing.
@Suite struct EscapeSequenceTests {
    private func read(_ text: String) -> EscapeSequence.Reading {
        EscapeSequence.read(Array(text.unicodeScalars))
    }

    @Test func test_homeAndEndUnderEveryConvention() {
        for home in ["[H", "OH", "[1~", "[7~"] { #expect(read(home) == .key(.home, consumed: home.unicodeScalars.count), "\(home)") }
        for end in ["[F", "OF", "[4~", "[8~"] { #expect(read(end) == .key(.end, consumed: end.unicodeScalars.count), "\(end)") }
        #expect(read("[3~") == .key(.delete, consumed: 3))
        #expect(read("[5~") == .key(.pageUp, consumed: 3))
        #expect(read("[D") == .key(.left, consumed: 2))
        #expect(read("[1;5C") == .key(.alt(.right), consumed: 5), "Ctrl-→ steps a word")
        #expect(read("[1;3D") == .key(.alt(.left), consumed: 5), "Alt-← too")
    }

    @Test func test_anUnknownSequenceIsOneUnrecognizedKey() {
        #expect(read("[25~") == .key(.unrecognized("␛[25~"), consumed: 4))
        #expect(read("[2") == .needMore)
        #expect(read("[") == .needMore)
        #expect(read("[[A") == .key(.unrecognized("␛[[A"), consumed: 3), "the Linux console's F1")
        #expect(EscapeSequence.ended(Array("[2".unicodeScalars)) == .unrecognized("␛[2"), "cut short, still whole")
        let endless = Array(String(repeating: "1", count: 40).unicodeScalars)
        guard case let .key(.unrecognized(text), consumed) = EscapeSequence.read([Unicode.Scalar("[")] + endless.prefix(31)) else {
            Issue.record("a runaway sequence ends at the limit")
            return
        }
        #expect(consumed == 32)
        #expect(text.hasPrefix("␛[111"))
    }

    @Test func test_escapeFollowedByAKeyIsAlt() {
        #expect(read("b") == .key(.alt(.character("b")), consumed: 1))
        #expect(read("\u{7F}") == .key(.alt(.backspace), consumed: 1))
        #expect(EscapeSequence.ended([]) == .escape)
        #expect(read("\u{1B}") == .key(.escape, consumed: 0), "a second Esc is left to be a key of its own")
    }
}

/// A long line scrolls sideways so the cursor and the error stay on screen.
@Suite struct LineEditorViewTests {
    private func render(_ line: LineEditor, note: String? = nil, width: Int) -> String {
        var grid = Grid(width: width, height: 1)
        LineEditorView.render(prompt: "/", line, note: note, x: 0, y: 0, width: width, role: .statusLine, into: &grid)
        return grid.line(0)
    }

    @Test func test_aShortLineIsShownWhole() {
        #expect(render(LineEditor("is:unresolved "), width: 50).hasPrefix("/is:unresolved ▏"))
        #expect(render(LineEditor("is:unresolved", cursor: 3), width: 50).hasPrefix("/is:▏unresolved"))
    }

    @Test func test_aLongLineKeepsItsEndAndTheErrorInViewAtFiftyColumns() {
        let text = "is:unresolved level:fatal project:1 type:monitor_check_in_failure bogus:"
        let note = "  ✗ column 67: unknown key bogus"
        let screen = render(LineEditor(text), note: note, width: 50)
        #expect(screen.contains("bogus:▏"), "the cursor at the end is visible: \(screen)")
        #expect(screen.hasPrefix("/…"), "the cut start is marked")
        #expect(screen.contains("✗ column 67: unknown key bogus"), "the error is whole: \(screen)")
    }

    @Test func test_anEmojiTypedWithAJoinerKeysByKeyStaysOnePicture() {
        var line = LineEditor()
        for character: Character in ["👩", "\u{200D}", "💻", "\u{202E}"] { line.handle(.character(character)) }
        let screen = render(line, width: 40)
        #expect(screen.contains("👩\u{200D}💻"), "the joiner between two emoji is kept: \(screen.unicodeScalars.map { String($0.value, radix: 16) })")
        #expect(screen.contains("💻�▏"), "a bidi override typed after it is still shown inert")
    }

    @Test func test_theCursorStaysVisibleWhenMovedBackOverALongLine() {
        let text = String(repeating: "abcdefghij ", count: 10) + "END"
        var line = LineEditor(text)
        line.handle(.home)
        for _ in 0..<3 { line.handle(.alt(.character("f"))) }
        let screen = render(line, width: 40)
        #expect(screen.contains("abcdefghij▏"), "\(screen)")
        #expect(screen.hasPrefix("/…") && screen.hasSuffix("…"), "cut on both sides: \(screen)")
        line.handle(.home)
        #expect(render(line, width: 40).hasPrefix("/▏abcdefghij"))
        #expect(render(line, width: 40).hasSuffix("…"))
    }
}
