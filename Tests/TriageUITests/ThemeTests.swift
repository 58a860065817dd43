import Foundation
import Testing
@testable import TriageUI

@Suite struct ThemeTests {
    private func userThemes(_ files: [String: String]) throws -> ThemeCatalog {
        let directory = NSTemporaryDirectory() + "triage-themes-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: "\(directory)/\(name).toml", atomically: true, encoding: .utf8) }
        return ThemeCatalog(userDirectory: directory)
    }

    @Test func test_everyBuiltInThemeParsesAndTheRepositoryFilesAreTheOnesCompiledIn() throws {
        #expect(Set(ThemeCatalog.builtInNames).isSuperset(of: ["default", "light", "high-contrast", "mono"]))
        let repositoryThemes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("themes")
        for name in ThemeCatalog.builtInNames {
            let theme = try ThemeCatalog(userDirectory: nil).theme(named: name)
            #expect(theme.styles[.rowSelected] != nil, "\(name) styles the selected row")
            #expect(theme.styles[.evidenceImportant] != nil, "\(name) styles the important evidence row")
            let onDisk = try String(contentsOf: repositoryThemes.appendingPathComponent(name + ".toml"), encoding: .utf8)
            #expect(EmbeddedThemes.files.first { $0.name == name }?.text == onDisk.replacingOccurrences(of: "\n$", with: "", options: .regularExpression))
        }
    }

    @Test func test_aControlCharacterInAThemeIsAnErrorWithItsPlace() {
        #expect(throws: ThemeError(source: "x.toml", line: 2, message: "column 1: control character U+001B is not allowed in TOML")) {
            try ThemeCatalog(userDirectory: nil).parse("name = \"x\"\n\u{1B}[roles]", name: "x")
        }
    }

    @Test func test_rolesMapToColoursAttributesAndInheritedStyles() throws {
        let light = try ThemeCatalog(userDirectory: nil).theme(named: "light")
        #expect(light.style(.rowSelected) == Style(foreground: .index(0), background: .index(153)))
        #expect(light.style(.evidenceImportant) == Style(foreground: .index(130), attributes: [.bold, .underline]), "#af5f00 is palette 130")
        #expect(light.style(.errorMessage) == Theme.default.style(.errorMessage), "inherited from default")
        #expect(Theme.mono.styles.values.allSatisfy { $0.foreground == .default && $0.background == .default })
    }

    @Test func test_aUserThemeOverridesAndInherits() throws {
        let catalog = try userThemes(["mine": """
            name = "mine"
            inherit = "high-contrast"
            [roles]
            row_selected = { fg = "bright-blue", bg = "default", attrs = ["underline"] }
            """])
        let theme = try catalog.theme(named: "mine")
        #expect(theme.style(.rowSelected) == Style(foreground: .index(12), background: .default, attributes: [.underline]))
        #expect(theme.style(.header) == (try catalog.theme(named: "high-contrast")).style(.header))
        #expect(catalog.names.contains("mine") && catalog.names.contains("light"))
    }

    @Test(arguments: [
        ("name = \"x\"\n[roles]\nrow = { fg = \"purple\" }\n", "bad.toml:3: row: unknown colour 'purple'"),
        ("[roles]\n\nlevel_error = { fg = 300 }\n", "bad.toml:3: level_error: colour 300 is not a palette index (0–255)"),
        ("[roles]\nselected = { fg = \"red\" }\n", "bad.toml:2: unknown role 'selected'"),
        ("[roles]\nrow = { fg = \"red\", attrs = [\"blink\"] }\n", "bad.toml:2: row: unknown attribute \"blink\""),
        ("[roles]\nrow = { fg = \"#12345\" }\n", "bad.toml:2: row: '#12345' is not a #rrggbb colour"),
        ("[roles]\nrow = { fg = \"red\"\n", "bad.toml:2"),
        ("colour = \"red\"\n", "bad.toml:1: unknown key 'colour'"),
        ("inherit = \"nope\"\n", "nope: unknown theme 'nope'"),
    ])
    func test_aBadThemeFileIsAClearErrorNamingTheLine(text: String, expected: String) throws {
        let catalog = try userThemes(["bad": text])
        let error = try #require(throws: ThemeError.self) { try catalog.theme(named: "bad") }
        #expect(error.description.hasSuffix(expected) || error.description.contains(expected), "\(error.description)")
    }

    @Test func test_unknownThemesAndCircularInheritanceAreRefused() throws {
        let catalog = try userThemes(["a": "inherit = \"b\"\n", "b": "inherit = \"a\"\n"])
        #expect(throws: ThemeError.self) { try catalog.theme(named: "a") }
        let error = try #require(throws: ThemeError.self) { try catalog.theme(named: "nonesuch") }
        #expect(error.description.contains("available: a, b, default, high-contrast, light, mono"))
    }

    @Test func test_coloursFallBackToTheNearestTheTerminalHas() {
        #expect(Palette.color(hex: "#ff0000") == .index(196))
        #expect(Palette.color(hex: "#808080") == .index(244))
        #expect(Palette.fold(.index(196), available: 8) == .index(1), "bright red on 8 colours is red")
        #expect(Palette.fold(.index(196), available: 16) == .index(9))
        #expect(Palette.fold(.index(15), available: 8) == .index(7), "bright white becomes white")
        #expect(Palette.fold(.index(21), available: 8) == .index(4), "pure blue stays blue")
        #expect(Palette.fold(.index(24), available: 256) == .index(24))
        #expect(Palette.fold(.default, available: 8) == .default)
    }
}
