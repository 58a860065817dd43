import TriageTestSupport
import Foundation
import Testing
import TriageEngine
@testable import TriageUI

/// README's key table and `?` agree: both come down to the command catalog, so every key the table
/// names runs a command, and every command's key is in the table.
@Suite struct ReadmeKeysTests {
    private static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md")

    /// The key table's rows as (key cells, description cells).
    private func table() throws -> [(keys: [String], descriptions: [String])] {
        let lines = try String(contentsOf: Self.readme, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex { $0.hasPrefix("| key | | key | |") })
        return lines[(start + 2)...].prefix { $0.hasPrefix("|") }.map { row in
            let cells = row.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast().map(String.init)
            return (stride(from: 0, to: cells.count, by: 2).map { cells[$0] }, stride(from: 1, to: cells.count, by: 2).map { cells[$0] })
        }
    }

    private func quoted(_ text: String) -> [String] {
        text.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    private func parseKey(_ token: String) -> Key? {
        switch token {
        case "↑": return .up
        case "↓": return .down
        case "⏎": return .enter
        default: return Key(name: token)
        }
    }

    @Test func test_theReadmeKeyTableNamesEveryCommandsKeyAndNoOther() throws {
        let rows = try table()
        var named: Set<Key> = []
        for token in rows.flatMap(\.keys).flatMap(quoted) {
            if token.hasPrefix(":"), token != ":" {
                let word = String(token.dropFirst().split(separator: " ").first ?? "")
                #expect(CommandID(rawValue: word).map { CommandCatalog.command($0).runsFromCommandLine } == true, "README's \(token) is a : command")
                continue
            }
            let key = try #require(parseKey(token), "README's key \(token) is a key name")
            named.insert(key)
        }
        let keymap = Keymap.default
        for key in named where key != .control("c") {
            #expect(!keymap.commands(for: key, in: .list).isEmpty || !keymap.commands(for: key, in: .details).isEmpty, "README names \(key), which runs nothing")
        }
        for command in CommandCatalog.all where (command.scopes.contains(.list) || command.scopes.contains(.details)) && !command.defaultKeys.isEmpty {
            #expect(command.defaultKeys.contains(where: named.contains), "\(command.id) (\(command.defaultKeys)) is missing from README's key table")
        }
        let descriptions = rows.flatMap(\.descriptions).joined(separator: " ")
        let panel = CommandCatalog.commands(in: .statusPanel).filter { ![.back, .quit, .down, .up, .top, .bottom, .pageDown, .pageUp].contains($0.id) }.compactMap(\.defaultKeys.first).map(\.description)
        #expect(descriptions.contains("`\(panel.joined(separator: " "))`"), "the status panel's keys, in the panel's order")
        for id in [CommandID.fileIssue, .linkIssue, .unlinkIssue] {
            #expect(descriptions.contains("`\(CommandCatalog.command(id).defaultKeys[0])`"), "the tracker menu's \(id)")
        }
    }

    @Test func test_helpShowsEveryKeyTheReadmeTableNames() throws {
        let app = try Workspace.forUI().app(width: 140, height: 200)
        app.handle(.character("?"))
        let help = app.render().text
        for command in CommandCatalog.all {
            #expect(help.contains(command.title), "? lists \(command.id)")
            for key in command.defaultKeys { #expect(help.contains(key.description), "? shows \(command.id)'s \(key)") }
        }
    }

    /// Every binding of the catalog is in README's generated table with the key and the description
    /// `?` shows; `TRIAGE_UPDATE_README=1` rewrites the table when the catalog changes.
    @Test func test_theReadmeBindingTableIsTheCatalogs() throws {
        let begin = "<!-- key bindings: generated from CommandCatalog (TRIAGE_UPDATE_README=1 swift test --filter ReadmeKeysTests) -->"
        let end = "<!-- /key bindings -->"
        let text = try String(contentsOf: Self.readme, encoding: .utf8)
        let start = try #require(text.range(of: begin), "README has the generated table")
        let stop = try #require(text.range(of: end, range: start.upperBound..<text.endIndex))
        let table = OverlayViews.readmeKeyTable()
        let current = String(text[start.upperBound..<stop.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
        if ProcessInfo.processInfo.environment["TRIAGE_UPDATE_README"] == "1", current != table {
            try (String(text[..<start.upperBound]) + "\n" + table + "\n" + String(text[stop.lowerBound...])).write(to: Self.readme, atomically: true, encoding: .utf8)
            return
        }
        #expect(current == table, "README's binding table is not the catalog's: rerun with TRIAGE_UPDATE_README=1")
        let help = try Workspace.forUI().app(width: 200, height: 300)
        help.handle(.character("?"))
        let screen = help.render().text
        for command in CommandCatalog.all where !command.defaultKeys.isEmpty && !command.scopes.allSatisfy({ $0 == .overlay }) {
            let keys = command.defaultKeys.map { "`\($0)`" }.joined(separator: " ")
            #expect(current.contains("| \(keys) | \(command.title.replacingOccurrences(of: "|", with: "\\|")) |"), "README lists \(command.id) as \(keys): \(command.title)")
            #expect(screen.contains(command.title), "? lists \(command.id)")
        }
    }
}
