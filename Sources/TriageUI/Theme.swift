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
public struct Theme: Sendable {
    public let name: String
    public var styles: [Role: Style]

    public init(name: String, styles: [Role: Style]) {
        self.name = name
        self.styles = styles
    }

    public func style(_ role: Role) -> Style { styles[role] ?? Style() }

    /// Colours from the 8 basic ones, so it works on every colour terminal.
    public static let `default` = Theme(name: "default", styles: [
        .header: Style(foreground: .index(0), background: .index(6), attributes: [.bold]),
        .statusLine: Style(foreground: .index(7), background: .index(4)),
        .rowSelected: Style(foreground: .index(0), background: .index(6)),
        .rowMarked: Style(foreground: .index(3), attributes: [.bold]),
        .evidenceImportant: Style(foreground: .index(3), attributes: [.bold]),
        .levelFatal: Style(foreground: .index(5), attributes: [.bold]),
        .levelError: Style(foreground: .index(1)),
        .levelWarning: Style(foreground: .index(3)),
        .levelInfo: Style(foreground: .index(6)),
        .levelDebug: Style(attributes: [.dim]),
        .statusNew: Style(foreground: .index(2), attributes: [.bold]),
        .statusRegressed: Style(foreground: .index(1), attributes: [.bold]),
        .statusEscalating: Style(foreground: .index(5), attributes: [.bold]),
        .statusResolved: Style(foreground: .index(2)),
        .statusIgnored: Style(attributes: [.dim]),
        .border: Style(foreground: .index(4)),
        .errorMessage: Style(foreground: .index(7), background: .index(1), attributes: [.bold]),
        .dim: Style(attributes: [.dim]),
        .title: Style(attributes: [.bold]),
        .key: Style(foreground: .index(6), attributes: [.bold]),
    ])

    /// No colour at all (`NO_COLOR`, `--no-color`, dumb terminals): attributes carry every distinction.
    public static let mono = Theme(name: "mono", styles: [
        .header: Style(attributes: [.reverse, .bold]),
        .statusLine: Style(attributes: [.reverse]),
        .rowSelected: Style(attributes: [.reverse]),
        .rowMarked: Style(attributes: [.bold]),
        .evidenceImportant: Style(attributes: [.bold, .reverse]),
        .levelFatal: Style(attributes: [.bold]),
        .levelError: Style(attributes: [.bold]),
        .levelDebug: Style(attributes: [.dim]),
        .statusNew: Style(attributes: [.bold]),
        .statusRegressed: Style(attributes: [.bold, .underline]),
        .statusEscalating: Style(attributes: [.bold, .underline]),
        .statusIgnored: Style(attributes: [.dim]),
        .errorMessage: Style(attributes: [.reverse, .bold]),
        .dim: Style(attributes: [.dim]),
        .title: Style(attributes: [.bold]),
        .key: Style(attributes: [.bold]),
    ])
}
