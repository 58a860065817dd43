import Testing
import TriageEngine
@testable import TriageUI
import TriageTestSupport

/// Under `--no-unicode` (or a locale that is not UTF-8) no screen draws a glyph: borders, marks,
/// arrows, `…`, 🔔 and the sparkline all have their ASCII stand-ins, chosen in `Glyphs`.
@Suite struct GlyphFallbackTests {
    private static let screens: [(name: String, keys: [Key])] = [
        ("list", [.character(" "), .character("R")]),
        ("details", [.enter]),
        ("help", [.character("?"), .character("G")]),
        ("help top", [.character("?")]),
        ("status panel", [.character("s")]),
        ("types", [.character("t")]),
        ("query", [.character("/"), .character("l"), .character("e"), .character("v"), .tab]),
        ("held word", [.character("/"), .character("t"), .character("i")]),
        ("messages", [.character(":"), .character("m"), .character("e"), .character("s"), .character("s"), .character("a"), .character("g"), .character("e"), .character("s"), .enter]),
    ]

    @Test(arguments: [(200, 40), (80, 12)])
    func test_noScreenDrawsAGlyphWithoutUnicode(size: (width: Int, height: Int)) throws {
        let workspace = try Workspace.forUI(holding: [
            Workspace.occurrence(1, fingerprint: "a", title: "Timeout in checkout with a title long enough to be cut at eighty columns", time: 1_790_000_500),
            Workspace.occurrence(2, fingerprint: "a", title: "Timeout in checkout", time: 1_790_000_550),
            Workspace.occurrence(3, fingerprint: "b", title: "Disk full", time: 1_790_000_400),
        ])
        for screen in Self.screens {
            let app = try TriageApp(store: workspace.store, clock: workspace.clock, following: true,
                                    width: size.width, height: size.height, unicode: false)
            app.state.alerts = 3
            for key in screen.keys { app.handle(key) }
            let text = app.render().text
            let glyphs = Set(text.unicodeScalars.filter { !$0.isASCII }.map(String.init))
            #expect(glyphs.isEmpty, "\(screen.name) at \(size): \(glyphs.sorted()) in\n\(text)")
        }
        let unicode = try TriageApp(store: workspace.store, clock: workspace.clock, following: true, width: 200, height: 40)
        #expect(unicode.render().text.contains("following ●"), "with Unicode the glyphs stay")
    }
}

/// Without Unicode, keys are named in words in footers and help: `⏎ details` reads `Enter details`,
/// not `< details` (a one-column stand-in cannot read as Enter).
@Suite struct PlainKeyNameTests {
    @Test func test_footersAndHelpNameGlyphKeysInWords() throws {
        let workspace = try Workspace.forUI(holding: [Workspace.occurrence(1, fingerprint: "a", title: "Error A")])
        let app = try TriageApp(store: workspace.store, clock: workspace.clock, width: 200, height: 60, unicode: false)
        let footer = app.render().line(59)
        #expect(footer.contains("Enter details"), "\(footer)")
        #expect(!footer.contains("< "), "\(footer)")
        var plain = Keymap.default
        plain.plainKeyNames = true
        let help = OverlayViews.helpLines(keymap: plain).map { $0.map(\.text).joined() }.joined(separator: "\n")
        #expect(help.contains("Backspace Del C-d") && help.contains("Enter Esc") && help.contains("Up Down"), "\(help)")
        for key: Key in [.up, .down, .left, .right, .enter, .backspace, .backTab, .alt(.backspace)] {
            #expect(key.plainDescription.unicodeScalars.allSatisfy(\.isASCII) && key.plainDescription.count > 1, "\(key)")
        }
        let unicode = try TriageApp(store: workspace.store, clock: workspace.clock, width: 200, height: 60)
        #expect(unicode.render().line(59).contains("⏎ details"), "with Unicode the glyph stays")
    }
}
