import Testing
import TriageEngine
@testable import TriageUI
import TriageTestSupport

/// A message longer than the status line is never cut silently: it wraps onto the row above, and past
/// two rows ends with `…` and names `:messages`, which shows it whole.
@Suite struct MessageTests {
    private func type(_ text: String, _ app: TriageApp) {
        for character in text { app.handle(.character(character)) }
    }

    @Test func test_aLongMessageWrapsOntoTheRowAbove() throws {
        let app = try Workspace.errorsAAndB().app(width: 100, height: 20)
        type(":bogus", app)
        app.handle(.enter)
        // The refused line stays open; given up, it leaves its reason as the message.
        app.handle(.escape)
        let text = try #require(app.state.message?.text)
        #expect(TerminalText.width(text) > 100, "the error is longer than a row: \(text)")
        let grid = app.render()
        #expect(grid.line(18).hasPrefix(" unknown command :bogus"), "\(grid.text)")
        #expect(grid.line(19).contains("? lists)"), "the end is on screen: \(grid.line(19))")
        #expect(!grid.text.contains("…"))
    }

    @Test func test_aMessageTooLongForTwoRowsEndsWithAnEllipsisAndMessagesShowsItWhole() throws {
        let app = try Workspace.errorsAAndB().app(width: 50, height: 20)
        type(":bogus", app)
        app.handle(.enter)
        // The refused line stays open; given up, it leaves its reason as the message.
        app.handle(.escape)
        var grid = app.render()
        #expect(grid.line(18).hasPrefix(" unknown command :bogus"))
        #expect(grid.line(19).hasSuffix("… (:messages)"), "\(grid.line(19))")
        #expect((0..<20).allSatisfy { TerminalText.width(grid.line($0)) <= 50 })
        type(":messages", app)
        app.handle(.enter)
        grid = app.render()
        #expect(grid.text.contains("Messages, newest last"))
        let box = grid.text.replacingOccurrences(of: "│", with: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(box.contains("or any command id ? lists)"), "whole in the box: \(grid.text)")
        app.handle(.character("q"))
        guard case .none = app.state.overlay else {
            Issue.record("q closes the messages")
            return
        }
    }

    @Test func test_theLogKeepsTheRecentMessagesOnceEach() throws {
        let app = try Workspace.errorsAAndB().app()
        app.handle(.character("x"))
        app.handle(.character("x"))
        app.handle(.character("S"))
        #expect(app.state.messageLog.map(\.text) == ["x does nothing here; ? lists every key", "sorted by first_seen"])
    }
}
