import Testing
@testable import TriageEngine

@Suite struct TerminalTextTests {
    @Test func test_escapeSequencesAndControlsBecomeVisibleAndInert() {
        let hostile = "a\u{1B}]52;c;ZXZpbA==\u{07}b\u{1B}[2Jc\u{9B}31md\u{202E}e\u{200B}f\nline"
        let clean = TerminalText.sanitize(hostile)
        #expect(clean == "a␛]52;c;ZXZpbA==␇b␛[2Jc\u{FFFD}31md\u{FFFD}e\u{FFFD}f␊line")
        #expect(!clean.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
    }

    @Test func test_widthCountsWideCharactersTwiceAndMarksZero() {
        #expect(TerminalText.width("abc") == 3)
        #expect(TerminalText.width("支払い") == 6)
        #expect(TerminalText.width("🐢") == 2)
        #expect(TerminalText.width("e\u{301}") == 1)
    }

    @Test func test_fitTruncatesWithAnEllipsisWithoutSplittingWideCharacters() {
        #expect(TerminalText.fit("hello world", columns: 8) == "hello w…")
        #expect(TerminalText.fit("short", columns: 8) == "short")
        #expect(TerminalText.fit("支払いゲート", columns: 6) == "支払…")
        #expect(TerminalText.width(TerminalText.pad("支払いゲート", columns: 6)) == 6)
        #expect(TerminalText.pad("ab", columns: 4) == "ab  ")
    }

    /// A zero-width joiner inside an emoji sequence is part of one picture two columns wide; anywhere
    /// else it stays invisible and is shown as `�`, like the other zero-width and bidi characters.
    @Test func test_emojiJoinedByZWJAreOnePictureAndOtherJoinersStayVisible() {
        let coder = "👩\u{200D}💻"
        #expect(TerminalText.sanitize(coder) == coder)
        #expect(TerminalText.width(coder) == 2)
        #expect(TerminalText.width("👍🏽") == 2, "a skin tone joins its emoji")
        #expect(TerminalText.width("👨\u{200D}👩\u{200D}👧") == 2)
        #expect(TerminalText.sanitize("a\u{200D}b") == "a\u{FFFD}b")
        #expect(TerminalText.sanitize("👩\u{200D}") == "👩\u{FFFD}", "a joiner with nothing to join")
        #expect(TerminalText.sanitize("👩\u{200D}\u{202E}💻") == "👩\u{FFFD}\u{FFFD}💻", "bidi overrides are refused, joined or not")
        #expect(TerminalText.fit(coder + coder + "x", columns: 4) == coder + "…", "a cluster is never split")
    }

    @Test func test_jsonWriterEscapesEveryControlCharacter() {
        var json = JSONWriter()
        json.beginObject()
        json.field("t", "q\"\\\u{1B}\u{85}\n")
        json.field("n", nil as Int?)
        json.field("d", 1.5)
        json.endObject()
        #expect(json.text == #"{"t":"q\"\\\u001b\u0085\n","n":null,"d":1.5}"#)
    }

    @Test func test_jsonWriterEscapesBidiOverridesAndInvisibleCharactersButKeepsOtherText() {
        var json = JSONWriter()
        json.beginObject()
        json.field("t", "evil\u{202E}txt.exe\u{200B}\u{2028}café 支払い 👩")
        json.endObject()
        #expect(json.text == #"{"t":"evil\u202etxt.exe\u200b\u2028café 支払い 👩"}"#)
    }

    @Test func test_isoTimesAreUTCWithMilliseconds() {
        #expect(ISOTime.format(1_767_323_045.123) == "2026-01-02T03:04:05.123Z")
        #expect(ISOTime.format(0) == "1970-01-01T00:00:00.000Z")
        #expect(ISOTime.parse("2026-01-02T03:04:05Z") == 1_767_323_045)
        #expect(ISOTime.relative(1_000_000_100, now: 1_000_000_112) == "12s ago")
        #expect(ISOTime.relative(1_000_000_000, now: 1_000_000_000 + 3 * 3600) == "3h ago")
        // Past a year, years; a time before 2000 (an epoch 0 a producer sent) is shown as its date.
        let now = 1_796_601_600.0
        #expect(ISOTime.relative(now - 86_400 * 400, now: now) == "1y ago")
        #expect(ISOTime.relative(now - 86_400 * 200, now: now) == "6mo ago")
        #expect(ISOTime.relative(946_684_800, now: now) == "26y ago")
        #expect(ISOTime.relative(0, now: now) == "1970-01-01", "not 693mo ago")
        #expect(ISOTime.relative(946_684_799, now: now) == "1999-12-31")
        #expect(ISOTime.relative(-86_400, now: now) == "1969-12-31")
        // Ahead of the clock by a minute or more: a producer's clock running fast, said as such.
        #expect(ISOTime.relative(now + 23 * 3600, now: now) == "in 23h", "not 0s ago")
        #expect(ISOTime.relative(now + 30, now: now) == "0s ago", "a few seconds' skew is now")
    }
}
