import Testing
import TriageEngine
@testable import TriageUI
import TriageTestSupport

/// At narrow widths whatever is cut says so with `…`, and the footer keeps `? help` to the last.
@Suite struct NarrowCutTests {
    @Test(arguments: [60, 80])
    func test_helpCutsNothingWithoutAnEllipsis(width: Int) throws {
        let workspace = try Workspace.forUI(holding: [Workspace.occurrence(1, fingerprint: "a", title: "Error A")])
        let app = try workspace.app(width: width, height: 15)
        let whole = Set(OverlayViews.helpLines(keymap: .default).map { $0.map(\.text).joined().trimmingTrailingSpaces() })
        app.handle(.character("?"))
        var cut = 0
        for _ in 0..<60 {
            let grid = app.render()
            let top = try #require(grid.rows(containing: "┌").first)
            let bottom = try #require(grid.rows(containing: "└").last)
            for row in top + 1..<bottom - 2 {
                let line = grid.line(row)
                guard let left = line.firstIndex(of: "│"), let right = line.lastIndex(of: "│"), left < right else { continue }
                let inner = String(line[line.index(after: left)..<right].dropFirst()).trimmingTrailingSpaces()
                if whole.contains(inner) { continue }
                #expect(inner.hasSuffix("…") && whole.contains { $0.hasPrefix(inner.dropLast()) }, "cut without …: \(inner)")
                cut += 1
            }
            app.handle(.pageDown)
        }
        if width == 60 { #expect(cut > 0, "some help lines are wider than 60 columns") }
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
