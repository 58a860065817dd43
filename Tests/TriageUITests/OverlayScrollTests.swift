import Testing
import TriageEngine
@testable import TriageUI
import TriageTestSupport

/// Overlays longer than the screen scroll and say how many lines lie beyond; details show their own keys.
@Suite struct OverlayScrollTests {
    @Test func test_theTypePickerScrollsByPageAndRightAlignsItsCounts() throws {
        let workspace = try Workspace.forUI()
        try workspace.ingest((1...12).map { Workspace.occurrence($0, fingerprint: "e\($0)", title: "Error \($0)") }
            + [Workspace.occurrence(100, fingerprint: "m", title: "Monitor down", type: 4001),
               Workspace.occurrence(101, fingerprint: "u", title: "Uptime down", type: 7001)])
        let app = try workspace.app(height: 8)
        app.handle(.character("t"))
        var grid = app.render()
        #expect(grid.text.contains("↓ 1 more"), "2 rows of 3 fit at 8 lines: \(grid.text)")
        let error = try #require(grid.rows(containing: "[ ] error").first)
        #expect(grid.line(error).contains("error                     12"))
        app.handle(.pageDown)
        grid = app.render()
        #expect(grid.text.contains("▌[ ] uptime_domain_failure"))
        #expect(grid.text.contains("↑ 1 above"))
        #expect(grid.line(try #require(grid.rows(containing: "uptime_domain_failure").first)).contains("uptime_domain_failure      1"), "counts right-aligned")
    }

    /// Help's key column fits its widest key (no `assigned:me,a…`), and the box keeps one width and
    /// place from the first page to the last.
    @Test func test_helpKeepsItsWidthWhilePagingAndCutsNoKey() throws {
        let workspace = try Workspace.forUI(holding: [Workspace.occurrence(1, fingerprint: "a", title: "Error A")])
        let app = try workspace.app(width: 200, height: 24)
        app.handle(.character("?"))
        var corners: Set<Int> = []
        var text = ""
        for _ in 0..<20 {
            let grid = app.render()
            let top = try #require(grid.rows(containing: "┌").first)
            corners.insert(try #require(grid.line(top).firstIndex(of: "┌")).utf16Offset(in: grid.line(top)))
            text += grid.text
            app.handle(.pageDown)
        }
        #expect(corners.count == 1, "the box moved or changed width while paging: \(corners)")
        #expect(text.contains("assigned:me,alice  "), "the key whole, then the gap")
        #expect(text.contains("N files waiting  "))
        #expect(!text.contains("a…"))
    }

    @Test func test_detailsShowTheTitleOnceAndTheirOwnKeys() throws {
        let workspace = try Workspace.forUI(holding: [Workspace.occurrence(1, fingerprint: "a", title: "Only once please")])
        let app = try workspace.app(height: 40)
        app.handle(.enter)
        let grid = app.render()
        #expect(grid.rows(containing: "Only once please") == [0], "the header holds the title")
        #expect(grid.line(39).hasPrefix(" j k scroll  / search  s status  [ ] older/newer  v payload  ? help  q back"), "\(grid.line(39))")
    }

    @Test func test_longValuesInDetailsWrapUnderTheirColumnWithAMark() throws {
        let workspace = try Workspace.forUI()
        let long = (1...30).map { "word\($0)" }.joined(separator: " ")
        let evidence = #"[{"name":"Reason","value":"\#(long)","important":true}]"#
        var payload = Workspace.occurrence(1, fingerprint: "a", title: "Long", evidence: evidence)
        payload = payload.replacingOccurrences(of: #""tags":{"region":"eu"}"#, with: #""tags":{"url":"\#(long)"}"#)
        try workspace.ingest([payload])
        let app = try workspace.app(width: 60, height: 60)
        app.handle(.enter)
        let grid = app.render()
        let reason = try #require(grid.rows(containing: "▶ Reason").first)
        #expect(grid.line(reason + 1).contains("↪ "), "the value goes on: \(grid.text)")
        #expect(grid.text.contains("word30"), "nothing is cut off")
        let tag = try #require(grid.rows(containing: "  url").first)
        #expect(grid.line(tag + 1).hasPrefix("            ↪ "), "under the value's column: \(grid.line(tag + 1))")
        #expect((0..<60).allSatisfy { TerminalText.width(grid.line($0)) <= 60 })
    }

    /// Values wrap between words, as prose does, with the continuation indent kept; only a word
    /// longer than the line is broken.
    @Test func test_detailsWrapValuesAtWordBoundaries() throws {
        let workspace = try Workspace.forUI()
        let words = (1...40).map { "w\($0)" + String(repeating: "x", count: $0 % 7) }
        let huge = String(repeating: "h", count: 90)
        let evidence = #"[{"name":"Reason","value":"\#(words.joined(separator: " ")) \#(huge) end","important":true}]"#
        try workspace.ingest([Workspace.occurrence(1, fingerprint: "a", title: "Long", evidence: evidence)])
        for width in [50, 61, 80] {
            let app = try workspace.app(width: width, height: 80)
            app.handle(.enter)
            let grid = app.render()
            let first = try #require(grid.rows(containing: "▶ Reason").first)
            let last = try #require(grid.rows(containing: " end").first)
            let shown = (first...last).flatMap { grid.line($0).split(separator: " ").map(String.init) }.filter { $0.hasPrefix("w") }
            #expect(shown == words, "each word whole, in order, at \(width): \(shown)")
            let column = try #require(grid.line(first + 1).range(of: "↪ ")).lowerBound
            #expect((first + 1...last).allSatisfy { grid.line($0).range(of: "↪ ")?.lowerBound.utf16Offset(in: grid.line($0)) == column.utf16Offset(in: grid.line(first + 1)) },
                    "every continuation under the same column")
            let hs = (first...last).map { grid.line($0).filter { $0 == "h" }.count }.reduce(0, +)
            #expect(hs == 90, "the long word is broken, not lost")
        }
    }

    /// A multi-line evidence value (a stack trace) reads as lines under its column, not as `␊`; other
    /// controls in it stay visible and inert.
    @Test func test_multiLineEvidenceValuesShowAsLinesUnderTheirColumn() throws {
        let workspace = try Workspace.forUI()
        let evidence = #"[{"name":"Trace","value":"line one\nline two\r\nline \u001b[2J three","important":true}]"#
        try workspace.ingest([Workspace.occurrence(1, fingerprint: "a", title: "Multi-line", evidence: evidence)])
        let app = try workspace.app(width: 80, height: 60)
        app.handle(.enter)
        let grid = app.render()
        let first = try #require(grid.rows(containing: "▶ Trace  line one").first, "\(grid.text)")
        let column = grid.line(first).column(of: "line one")
        #expect(grid.line(first + 1).column(of: "line two") == column, "under the value: \(grid.line(first + 1))")
        #expect(grid.line(first + 2).contains("line ␛[2J three"), "an escape stays inert: \(grid.line(first + 2))")
        #expect(!grid.text.contains("␊") && !grid.text.contains("␍"))
        #expect(!grid.text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    }

    @Test func test_vAsksForThePayloadInThePager() throws {
        let workspace = try Workspace.forUI(holding: [Workspace.occurrence(1, fingerprint: "a", title: "Paged \\u001b[2J")])
        let app = try workspace.app()
        app.handle(.character("v"))
        guard case let .page(text)? = app.takeEffects().first else {
            Issue.record("v asks the runner to page")
            return
        }
        #expect(text.contains("  \"issue_title\": \"Paged "), "pretty-printed: \(text)")
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B }, "made inert")
    }

    @Test func test_aTitleTheHeaderCutsIsGivenWholeAsAFieldThatWrapsAndIsSearched() throws {
        let title = "Connection pool exhausted while waiting for a free slot in cluster eu-west-1 after retries; backoff exhausted at attempt 7"
        let workspace = try Workspace.forUI(holding: [Workspace.occurrence(1, fingerprint: "a", title: title)])
        let app = try workspace.app(width: 60, height: 20)
        app.handle(.enter)
        let grid = app.render()
        #expect(grid.line(0).trimmingCharacters(in: .whitespaces).hasSuffix("…"), "the header says it is cut: \(grid.line(0))")
        #expect(grid.line(1).contains("title") && grid.line(1).contains("Connection pool"), "\(grid.text)")
        #expect(grid.text.contains("attempt 7"), "the whole title, wrapped: \(grid.text)")
        app.handle(.character("/"))
        for character in "backoff" { app.handle(.character(character)) }
        app.handle(.enter)
        #expect(app.state.message?.text.hasPrefix("backoff: 1 of") == true, "\(String(describing: app.state.message))")
        let short = try Workspace.forUI(holding: [Workspace.occurrence(1, fingerprint: "a", title: "Short")]).app(width: 60, height: 20)
        short.handle(.enter)
        #expect(!short.render().text.contains("  title "), "a title the header holds is said once")
    }

    @Test func test_slashInDetailsFindsTextAndNSteps() throws {
        let workspace = try Workspace.forUI()
        let evidence = (1...40).map { #"{"name":"Row \#($0)","value":"\#($0 % 10 == 0 ? "needle here" : "hay")","important":false}"# }.joined(separator: ",")
        try workspace.ingest([Workspace.occurrence(1, fingerprint: "a", title: "Search me", evidence: "[" + evidence + "]")])
        let app = try workspace.app(height: 20)
        app.handle(.enter)
        app.handle(.character("/"))
        #expect(app.render().line(19).hasPrefix("search details: ▏"))
        for character in "NEEDLE" { app.handle(.character(character)) }
        app.handle(.enter)
        #expect(app.state.message?.text == "NEEDLE: 1 of 4 · n next · N previous", "found whatever the case, echoed as typed")
        var grid = app.render()
        let first = try #require(grid.rows(containing: "Row 10 ").first, "scrolled into view")
        #expect(grid[2, first].role == .rowSelected, "the match stands out")
        app.handle(.character("n"))
        grid = app.render()
        #expect(app.state.message?.text == "NEEDLE: 2 of 4 · n next · N previous")
        #expect(grid.rows(containing: "Row 20 ").first.map { grid[2, $0].role } == .rowSelected)
        app.handle(.character("N"))
        #expect(app.state.message?.text == "NEEDLE: 1 of 4 · n next · N previous")
        app.handle(.character("N"))
        #expect(app.state.message?.text == "NEEDLE: 4 of 4 · n next · N previous", "wraps around")
        app.handle(.character("/"))
        for character in "absent" { app.handle(.character(character)) }
        app.handle(.enter)
        #expect(app.state.message?.text == "not found: absent")
        app.handle(.character("/"))
        for character in "search" { app.handle(.character(character)) }
        app.handle(.enter)
        #expect(app.state.message?.text == "search: in the title only", "the header's title is searched too")
    }

    @Test func test_detailsSayWhatEndsAnIgnore() throws {
        let workspace = try Workspace.forUI(holding: [Workspace.occurrence(1, fingerprint: "a", title: "Ignored one")])
        let now = workspace.clock.now()
        _ = try workspace.store.apply(.ignore(.untilCondition(IgnoreCondition(until: now + 3 * 3600))), to: [1], actor: "test")
        let app = try workspace.app(height: 40, query: "")
        app.handle(.enter)
        #expect(app.render().text.contains("ignored     until \(ISOTime.format(now + 3 * 3600)) (in 3h)"), "\(app.render().text)")
        app.handle(.escape)
        _ = try workspace.store.apply(.ignore(.untilCondition(IgnoreCondition(count: 100, countWindow: 3600))), to: [1], actor: "test")
        app.handle(.enter)
        #expect(app.render().text.contains("ignored     until 100 events within 1h"))
    }
}

/// Writing over half of a wide character leaves blanks, not a character out of its column.
@Suite struct GridWideCharacterTests {
    @Test func test_overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var grid = Grid(width: 6, height: 1)
        grid.put("支払い", x: 0, y: 0, role: .row)
        grid.put("│", x: 3, y: 0, role: .border)
        #expect(grid.line(0) == "支 │い")
        grid.put("ab", x: 4, y: 0, role: .row)
        #expect(grid.line(0) == "支 │ab")
        grid.put("x", x: 0, y: 0, role: .row)
        #expect(grid.line(0) == "x  │ab")
        grid.put("日本語", x: 0, y: 0, role: .row)
        grid.fill(Rect(x: 3, y: 0, width: 2, height: 1), role: .row)
        #expect(grid.line(0) == "日    ", "a box's body over halves of two")
    }

    @Test func test_anEmojiZWJSequenceIsOneCellAsWideAsItsPicture() {
        var grid = Grid(width: 8, height: 1)
        let used = grid.put("a👩\u{200D}💻b", x: 0, y: 0, role: .row)
        #expect(used == 4)
        #expect(grid[1, 0].text == "👩\u{200D}💻" && grid[1, 0].width == 2)
        #expect(grid[3, 0].text == "b")
        #expect(grid.line(0) == "a👩\u{200D}💻b    ")
    }
}

private extension String {
    /// The column where `needle` starts (lines of narrow characters), or -1.
    func column(of needle: String) -> Int {
        range(of: needle).map { distance(from: startIndex, to: $0.lowerBound) } ?? -1
    }
}
