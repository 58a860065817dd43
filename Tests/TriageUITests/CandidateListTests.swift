import Testing
import TriageEngine
@testable import TriageUI
import TriageTestSupport

/// The `Tab` candidate list of every input line: each further `Tab` steps, every candidate can be
/// reached and seen, and how many are off the row is always shown.
@Suite struct CandidateListTests {
    private func app(width: Int, height: Int) throws -> TriageApp {
        let workspace = try Workspace.forUI(holding: [Workspace.occurrence(1, fingerprint: "a", title: "Error A")])
        return try workspace.app(width: width, height: height)
    }

    @Test(arguments: [(80, 24), (60, 15)])
    func test_commandLineTabStepsThroughEveryCandidateWithTheCountInView(size: (width: Int, height: Int)) throws {
        let app = try app(width: size.width, height: size.height)
        app.handle(.character(":"))
        app.handle(.tab)
        let candidates = try #require(app.state.commandCandidates?.candidates)
        #expect(candidates.count > 20, "every command is a candidate for an empty line")
        let row = size.height - 2
        let first = app.render().line(row).trimmingSuffix()
        let shown = candidates.filter { first.contains(" \($0) ") }.count
        #expect(first.hasSuffix(" +\(candidates.count - shown) more"), "the count of those off the row is whole: \(first)")
        var seen: [String] = []
        for _ in candidates {
            app.handle(.tab)
            let chosen = try #require(app.state.commandCandidates?.index.map { candidates[$0] })
            #expect(app.state.commandLine?.text == chosen, "Tab puts the next candidate in the line")
            let grid = app.render()
            let line = grid.line(row).trimmingSuffix()
            let column = try #require(line.range(of: "[\(chosen)]").map { line.distance(from: line.startIndex, to: $0.lowerBound) },
                                      "\(chosen) is on the row, marked: \(line)")
            #expect(grid[column + 1, row].role == .row)
            // The row shows a run of candidates, with how many lie before and after it.
            let shown = candidates.indices.filter { line.contains(" \(candidates[$0]) ") || line.contains("[\(candidates[$0])]") }
            let (first, last) = (try #require(shown.first), try #require(shown.last))
            #expect(shown == Array(first...last), "\(line)")
            #expect(first == 0 ? !line.hasPrefix(" +") : line.hasPrefix(" +\(first) "), "\(line)")
            #expect(last == candidates.count - 1 ? !line.hasSuffix(" more") : line.hasSuffix(" +\(candidates.count - 1 - last) more"), "\(line)")
            seen.append(chosen)
        }
        #expect(seen == candidates, "Tab reaches each candidate, in order")
        app.handle(.tab)
        #expect(app.state.commandLine?.text == candidates[0], "and wraps around")
        app.handle(.backTab)
        #expect(app.state.commandLine?.text == candidates[candidates.count - 1], "Shift-Tab steps back")
        app.handle(.backTab)
        #expect(app.state.commandLine?.text == candidates[candidates.count - 2])
    }

    /// The candidate `Tab` put in the line stands apart from the others in every built-in theme (the
    /// default one draws the header and the selected row alike, so that pair cannot serve).
    @Test func test_theChosenCandidateStandsOutInEveryTheme() throws {
        let app = try app(width: 80, height: 24)
        app.handle(.character(":"))
        app.handle(.tab)
        app.handle(.tab)
        let grid = app.render()
        let line = grid.line(22)
        let chosen = try #require(line.range(of: "[").map { line.distance(from: line.startIndex, to: $0.lowerBound) }, "\(line)")
        let other = try #require(line.range(of: "] ").map { line.distance(from: line.startIndex, to: $0.upperBound) + 1 })
        for name in ThemeCatalog.builtInNames {
            let theme = try ThemeCatalog(userDirectory: nil).theme(named: name)
            func look(_ cell: Cell) -> Style {
                var style = theme.style(cell.role)
                style.attributes.formUnion(cell.attributes)
                return style
            }
            #expect(look(grid[chosen + 1, 22]) != look(grid[other, 22]), "\(name): the chosen candidate looks like the rest")
        }
    }

    @Test func test_commandLineTabStepsThroughArguments() throws {
        let app = try app(width: 80, height: 24)
        app.handle(.character(":"))
        for character in "sort " { app.handle(.character(character)) }
        app.handle(.tab)
        #expect(app.state.commandLine?.text == "sort ")
        app.handle(.tab)
        #expect(app.state.commandLine?.text == "sort \(GroupSort.allCases[0].rawValue)")
        app.handle(.tab)
        #expect(app.state.commandLine?.text == "sort \(GroupSort.allCases[1].rawValue)")
    }
}

private extension String {
    func trimmingSuffix() -> String { String(reversed().drop { $0 == " " }.reversed()) }
}
