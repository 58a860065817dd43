import Testing
import TriageEngine
@testable import TriageUI
import TriageTestSupport

/// At narrow widths whatever is cut says so with `…`, and the footer keeps `? help` to the last.
@Suite struct NarrowCutTests {
    /// The `/` line's error, cut by the width, ends with `…` (`~` where Unicode cannot be drawn), and
    /// so does the `:` line's; at each width from the narrowest up.
    @Test func test_inputLineErrorsCutAtTheEdgeEndWithAnEllipsis() throws {
        let workspace = try Workspace.forUI(holding: [Workspace.occurrence(1, fingerprint: "a", title: "Error A")])
        func rows(width: Int) throws -> (query: Grid, command: String) {
            let app = try workspace.app(width: width, height: 15)
            app.handle(.character("/"))
            app.handle(.control("u"))
            for character in "level:fatl" { app.handle(.character(character)) }
            #expect(app.state.editor?.error != nil)
            let query = app.render()
            app.handle(.escape)
            app.handle(.character(":"))
            for character in "sort nonsense" { app.handle(.character(character)) }
            app.handle(.enter)
            return (query, app.render().line(14).trimmingTrailingSpaces())
        }
        let whole = try rows(width: 400)
        let wholeQuery = whole.query.line(14).trimmingTrailingSpaces()
        for width in stride(from: 30, through: 100, by: 7) {
            var (grid, command) = try rows(width: width)
            var row = grid.line(14).trimmingTrailingSpaces()
            if TerminalText.width(wholeQuery) > width { #expect(row.hasSuffix("…"), "cut without … at \(width): \(row)") }
            grid.drawingASCIIGlyphs()
            row = grid.line(14).trimmingTrailingSpaces()
            if TerminalText.width(wholeQuery) > width { #expect(row.hasSuffix("~"), "\(row)") }
            if TerminalText.width(whole.command) > width { #expect(command.hasSuffix("…"), "the : line at \(width): \(command)") }
        }
    }

    /// Help at 60 or 80 columns loses nothing: a line wider than the box goes on, under its
    /// description's column, instead of ending in `…`; every line is reached by scrolling.
    @Test(arguments: [60, 80])
    func test_helpWrapsLongLinesUnderTheirDescription(width: Int) throws {
        let workspace = try Workspace.forUI(holding: [Workspace.occurrence(1, fingerprint: "a", title: "Error A")])
        let app = try workspace.app(width: width, height: 15)
        app.handle(.character("?"))
        func body(_ grid: Grid) throws -> [String] {
            let top = try #require(grid.rows(containing: "┌").first)
            let bottom = try #require(grid.rows(containing: "└").last)
            return (top + 1..<bottom - 2).map { row in
                let line = grid.line(row)
                let left = line.index(after: line.firstIndex(of: "│")!)
                return String(line[left..<line.lastIndex(of: "│")!].dropFirst()).trimmingTrailingSpaces()
            }
        }
        var grid = app.render()
        var shown = try body(grid)
        for _ in 0..<500 where grid.text.contains("more · ") {
            app.handle(.character("j"))
            grid = app.render()
            shown.append(try body(grid).last!)
        }
        #expect(!grid.text.contains("more · "), "scrolled to the end")
        let collapse = { (text: String) in text.split(separator: " ").joined(separator: " ") }
        let all = collapse(shown.joined(separator: " "))
        for line in OverlayViews.helpLines(keymap: .default).map({ $0.map(\.text).joined() }) where !line.isEmpty {
            #expect(all.contains(collapse(line)), "lost or cut at \(width) columns: \(line)")
        }
        let space = try #require(shown.firstIndex { $0.hasPrefix("space ") && $0.contains("marks a row") })
        let column = try #require(shown[space].range(of: "marks a row")).lowerBound.utf16Offset(in: shown[space])
        #expect(shown[space + 1].prefix { $0 == " " }.count == column, "goes on under the description: \(shown[space + 1])")
        #expect(shown.allSatisfy { TerminalText.width($0) <= width - 6 })
    }

    @Test(arguments: [30, 40, 60, 80, 140])
    func test_theFooterKeepsHelpLast(width: Int) throws {
        let workspace = try Workspace.forUI(holding: [Workspace.occurrence(1, fingerprint: "a", title: "Error A")])
        let app = try workspace.app(width: width, height: 15)
        for opened in [false, true] {
            if opened { app.handle(.enter) }
            let footer = app.render().line(14).trimmingTrailingSpaces()
            #expect(footer.contains("? help"), "\(width) columns: \(footer)")
            let all = StatusLine.hints(in: opened ? .details : .list, keymap: .default)
            if TerminalText.width(" " + all.joined(separator: "  ")) > width {
                #expect(footer.hasSuffix("…  ? help"), "hints dropped are marked, help kept last: \(footer)")
            } else {
                #expect(footer == " " + all.joined(separator: "  "))
            }
        }
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String { String(reversed().drop { $0 == " " }.reversed()) }
}
