/// A terminal colour: the terminal's default, or an index into its palette (0–7 basic, 8–15 bright,
/// up to 255 on 256-colour terminals).
public enum TerminalColor: Sendable, Hashable {
    case `default`
    case index(UInt8)
}

public struct Style: Sendable, Hashable {
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var attributes: Attributes

    public init(foreground: TerminalColor = .default, background: TerminalColor = .default, attributes: Attributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }
}

/// Roles to styles. A role the theme does not mention is drawn plain.
public struct Theme: Sendable, Equatable {
    public let name: String
    public var styles: [Role: Style]

    public init(name: String, styles: [Role: Style]) {
        self.name = name
        self.styles = styles
    }

    public func style(_ role: Role) -> Style { styles[role] ?? Style() }

    /// The built-in themes; `themes/*.toml` are compiled in, and a test parses every one of them.
    public static let `default` = builtIn("default")
    public static let mono = builtIn("mono")

    private static func builtIn(_ name: String) -> Theme {
        do { return try ThemeCatalog(userDirectory: nil).theme(named: name) } catch {
            preconditionFailure("built-in theme \(name) does not parse: \(error)")
        }
    }
}
