import Foundation

/// Finds themes by name: the user's `$XDG_CONFIG_HOME/triage/themes/NAME.toml` first, then the
/// built-in ones compiled from the repository's `themes/`.
public struct ThemeCatalog: Sendable {
    /// The user's theme directory, if any.
    public let userDirectory: String?

    public init(userDirectory: String?) {
        self.userDirectory = userDirectory
    }

    /// The user directory from the environment (`XDG_CONFIG_HOME`, else `~/.config`).
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> ThemeCatalog {
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["HOME"].map { $0 + "/.config" }
        return ThemeCatalog(userDirectory: base.map { $0 + "/triage/themes" })
    }

    public static let builtInNames: [String] = EmbeddedThemes.files.map(\.name)

    /// Every theme name available, built-in and the user's.
    public var names: [String] {
        let user = userDirectory.flatMap { try? FileManager.default.contentsOfDirectory(atPath: $0) }?
            .filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) } ?? []
        return Array(Set(Self.builtInNames + user)).sorted()
    }

    public func theme(named name: String) throws -> Theme {
        try theme(named: name, chain: [])
    }

    /// Parses theme text as if it were `NAME.toml`, inheriting from this catalog's themes.
    public func parse(_ text: String, name: String) throws -> Theme {
        try ThemeFile.parse(text, name: name, source: "\(name).toml") { parent in try theme(named: parent, chain: [name]) }
    }

    private func theme(named name: String, chain: [String]) throws -> Theme {
        if chain.contains(name) {
            throw ThemeError(source: name, line: nil, message: "themes inherit in a circle: \((chain + [name]).joined(separator: " → "))")
        }
        let (text, source) = try locate(name)
        return try ThemeFile.parse(text, name: name, source: source) { parent in
            try theme(named: parent, chain: chain + [name])
        }
    }

    private func locate(_ name: String) throws -> (text: String, source: String) {
        if let userDirectory, !name.contains("/") {
            let path = "\(userDirectory)/\(name).toml"
            if FileManager.default.fileExists(atPath: path) {
                do { return (try String(contentsOfFile: path, encoding: .utf8), path) } catch {
                    throw ThemeError(source: path, line: nil, message: "cannot read the theme: \(error.localizedDescription)")
                }
            }
        }
        if let builtIn = EmbeddedThemes.files.first(where: { $0.name == name }) {
            return (builtIn.text, "themes/\(name).toml (built in)")
        }
        throw ThemeError(source: name, line: nil, message: "unknown theme '\(name)'; available: \(names.joined(separator: ", "))")
    }
}
