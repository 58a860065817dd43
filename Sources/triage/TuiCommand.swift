import ArgumentParser
import Foundation
import TriageEngine
import TriageUI

struct TuiCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui",
        abstract: "The terminal UI: the issue list, details, status changes, and new issues live as the spool fills.",
        discussion: """
            Follows the spool when --follow is given or a spool is configured (--spool or $TRIAGE_SPOOL). \
            Press ? for every key. Themes: the built-in default, light, high-contrast and mono, or your own in \
            $XDG_CONFIG_HOME/triage/themes/NAME.toml; [ui] and [keys] in the config file set the theme, the \
            mouse and key bindings.
            """
    )

    @OptionGroup var locations: Locations

    @Flag(help: "Ingest the spool in the background and show new issues as they land.")
    var follow = false

    @Option(help: "The query to start with.")
    var query = "is:unresolved"

    @Option(help: "A theme name (default: [ui] theme in the config, else default).")
    var theme: String?

    @Flag(help: "Attributes only, no colour (also when NO_COLOR is set).")
    var noColor = false

    @Flag(help: "Leave the mouse to the terminal (its own text selection); m toggles it in the UI.")
    var noMouse = false

    @Flag(help: "Draw sparklines and charts in ASCII (also when the locale is not UTF-8).")
    var noUnicode = false

    func run() throws {
        let config = try locations.loadConfig()
        // A bad query is a usage error, said on one line before the terminal is taken.
        do { _ = try QueryParser(registry: config.registry, me: locations.activity(config).actor.name).parse(query) } catch {
            throw TriageFailure.usage("bad query: \(error)")
        }
        let environment = ProcessInfo.processInfo.environment
        let settings = try TuiSettings(config: config.interface, theme: theme, noColor: noColor, noMouse: noMouse,
                                       noUnicode: noUnicode, query: query, environment: environment)
        if case let .team(location) = try StoreTarget.resolve(named: locations.namedStore, config: config) {
            // Ingest into the team store is not the TUI's yet: say so rather than follow nothing.
            if follow || locations.spool != nil {
                throw TriageFailure.usage("the TUI does not ingest into a team store yet: leave out --follow and --spool "
                                          + "(its screen is live without them: every writer's changes show as they commit)")
            }
            let notice = environment["TRIAGE_SPOOL"].map { _ in
                Message(kind: .info, text: "not following $TRIAGE_SPOOL: the TUI does not ingest into a team store yet")
            }
            let store = try TuiStore.connect(location, config: config)
            try TuiRunner(store: store, limits: config.limits, settings: settings, trackers: config.trackers,
                          activity: try locations.activity(config, metrics: TriageMetrics(), store: store.reader), spoolPath: nil,
                          notice: notice).run()
            return
        }
        let spoolConfigured = locations.spool != nil || environment["TRIAGE_SPOOL"] != nil
        let following = follow || spoolConfigured
        // Without a spool to ingest, a store this process may not write is still browsed.
        let readOnly = !following && locations.storeIsReadOnly
        let store = try readOnly ? locations.openStoreForReading(config) : locations.openStore(config)
        try TuiRunner(store: .local(store), limits: config.limits,
                      settings: settings, readOnly: readOnly,
                      notifiers: config.notifiers, trackers: config.trackers, activity: try locations.activity(config, metrics: TriageMetrics()),
                      spoolPath: following ? locations.spoolPath : nil).run()
    }
}

/// What the UI starts with, from flags over the config's `[ui]`/`[keys]` over defaults.
struct TuiSettings {
    let theme: Theme
    let themes: ThemeCatalog
    let color: Bool
    let mouse: Bool
    /// Glyphs (borders, marks, arrows, sparklines): off under `--no-unicode` or a non-UTF-8 locale.
    let unicode: Bool
    let keymap: Keymap
    /// `[keys]` entries that could not be used; shown when the UI opens.
    let keymapProblems: [String]
    let query: String

    init(config: InterfaceSettings, theme name: String?, noColor: Bool, noMouse: Bool, noUnicode: Bool = false, query: String,
         environment: [String: String]) throws {
        themes = ThemeCatalog.standard(environment: environment)
        // NO_COLOR: any value, even empty, turns colour off (no-color.org).
        color = !noColor && environment["NO_COLOR"] == nil
        do {
            let chosen = try themes.theme(named: name ?? config.theme ?? "default")
            theme = color ? chosen : .mono
        } catch let error as ThemeError {
            // `--theme` naming no theme at all is a usage error; a theme file with a mistake (or the
            // config's choice) is a runtime one.
            let known = themes.names
            let unknownName = name.map { !known.contains($0) } ?? false
            throw unknownName ? TriageFailure.usage(error.description) : TriageFailure.runtime(error.description)
        }
        mouse = !noMouse && (config.mouse ?? true)
        unicode = !noUnicode && Self.localeIsUTF8(environment)
        (keymap, keymapProblems) = Keymap.default.applying(config.keys)
        self.query = query
    }

    /// Whether the locale the terminal runs in is UTF-8, as setlocale would find it: the first of
    /// LC_ALL, LC_CTYPE and LANG that is set decides; none set is the C locale, which is not.
    static func localeIsUTF8(_ environment: [String: String]) -> Bool {
        let locale = ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? "C"
        let normalized = locale.lowercased().replacingOccurrences(of: "-", with: "")
        return normalized.contains("utf8")
    }
}
