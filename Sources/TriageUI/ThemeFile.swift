import TOMLKit
import TriageEngine

/// A theme file that cannot be used, with the line at fault where there is one.
public struct ThemeError: Error, Equatable, CustomStringConvertible {
    public let source: String
    public let line: Int?
    public let message: String

    public var description: String { "\(source)\(line.map { ":\($0)" } ?? ""): \(message)" }
}

/// Parses `themes/NAME.toml`: `name`, an optional `inherit`, and a `[roles]` table of
/// `role = { fg = COLOR, bg = COLOR, attrs = [...] }`.
enum ThemeFile {
    static func parse(_ text: String, name: String, source: String, inherited: (String) throws -> Theme) throws -> Theme {
        if let problem = TOMLTextCheck.problem(in: text) {
            throw ThemeError(source: source, line: problem.line, message: "column \(problem.column): \(problem.message)")
        }
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let error as TOMLParseError {
            throw ThemeError(source: source, line: error.source.begin.line, message: error.description)
        }
        let locate = KeyLocator(text: text)
        func fail(_ key: String, _ message: String) -> ThemeError {
            ThemeError(source: source, line: locate.line(of: key), message: message)
        }
        if let unknown = table.keys.sorted().first(where: { !["name", "inherit", "roles"].contains($0) }) {
            throw fail(unknown, "unknown key '\(unknown)' (known: name, inherit, roles)")
        }
        var theme = Theme(name: name, styles: [:])
        if let parent = table["inherit"] {
            guard let parentName = parent.string else { throw fail("inherit", "inherit must be a theme name in quotes") }
            theme.styles = try inherited(parentName).styles
        }
        guard let rolesValue = table["roles"] else { return theme }
        guard let roles = rolesValue.table else { throw fail("roles", "roles must be a table ([roles])") }
        for key in roles.keys.sorted() {
            guard let role = Role(rawValue: key) else {
                throw fail(key, "unknown role '\(key)' (roles: \(Role.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            do {
                theme.styles[role] = try style(roles[key]!)
            } catch {
                throw fail(key, "\(key): \(error.text)")
            }
        }
        return theme
    }

    private struct StyleProblem: Error { let text: String }

    private static func style(_ value: TOMLValueConvertible) throws(StyleProblem) -> Style {
        guard let table = value.table else { throw StyleProblem(text: "must be an inline table like { fg = \"red\", attrs = [\"bold\"] }") }
        if let unknown = table.keys.sorted().first(where: { !["fg", "bg", "attrs"].contains($0) }) {
            throw StyleProblem(text: "unknown key '\(unknown)' (known: fg, bg, attrs)")
        }
        var style = Style()
        if let fg = table["fg"] { style.foreground = try color(fg) }
        if let bg = table["bg"] { style.background = try color(bg) }
        if let attrs = table["attrs"] {
            guard let list = attrs.array else { throw StyleProblem(text: "attrs must be a list like [\"bold\"]") }
            for item in list {
                switch item.string {
                case "bold": style.attributes.insert(.bold)
                case "reverse": style.attributes.insert(.reverse)
                case "underline": style.attributes.insert(.underline)
                case "dim": style.attributes.insert(.dim)
                default: throw StyleProblem(text: "unknown attribute \(item.debugDescription) (bold, reverse, underline, dim)")
                }
            }
        }
        return style
    }

    private static func color(_ value: TOMLValueConvertible) throws(StyleProblem) -> TerminalColor {
        if let index = value.int {
            guard (0...255).contains(index) else { throw StyleProblem(text: "colour \(index) is not a palette index (0–255)") }
            return .index(UInt8(index))
        }
        guard let text = value.string else { throw StyleProblem(text: "a colour is a name, a 0–255 index, or \"#rrggbb\"") }
        if text.hasPrefix("#") {
            guard let color = Palette.color(hex: text) else { throw StyleProblem(text: "'\(text)' is not a #rrggbb colour") }
            return color
        }
        guard let color = Palette.color(named: text) else {
            throw StyleProblem(text: "unknown colour '\(text)' (names: default, \(Palette.names.joined(separator: ", ")), bright-NAME; or 0–255, or #rrggbb)")
        }
        return color
    }
}

/// TOMLKit keeps no positions for values, so errors about a key find its line in the text: the
/// first line that assigns it (`key =`) or opens it as a table (`[key]`).
struct KeyLocator {
    let lines: [Substring]

    init(text: String) { lines = text.split(separator: "\n", omittingEmptySubsequences: false) }

    func line(of key: String) -> Int? {
        for (number, line) in lines.enumerated() {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("[\(key)]") { return number + 1 }
            guard trimmed.hasPrefix(key) else { continue }
            let rest = trimmed.dropFirst(key.count).drop { $0 == " " || $0 == "\t" }
            if rest.hasPrefix("=") { return number + 1 }
        }
        return nil
    }
}
