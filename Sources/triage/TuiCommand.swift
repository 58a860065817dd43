import ArgumentParser
import Foundation
import TriageEngine
import TriageUI

struct TuiCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui",
        abstract: "The terminal UI: the issue list, details, status changes, and new issues live as the spool fills.",
        discussion: "Follows the spool when --follow is given or a spool is configured (--spool or $TRIAGE_SPOOL). Press ? for every key."
    )

    @OptionGroup var locations: Locations

    @Flag(help: "Ingest the spool in the background and show new issues as they land.")
    var follow = false

    @Option(help: "The query to start with.")
    var query = "is:unresolved"

    @Option(help: "default or mono.")
    var theme = "default"

    @Flag(help: "Attributes only, no colour (also when NO_COLOR is set).")
    var noColor = false

    func validate() throws {
        guard ["default", "mono"].contains(theme) else { throw ValidationError("--theme: unknown theme '\(theme)'; available: default, mono.") }
    }

    func run() throws {
        let config = try locations.loadConfig()
        let store = try locations.openStore(config)
        let spoolConfigured = locations.spool != nil || ProcessInfo.processInfo.environment["TRIAGE_SPOOL"] != nil
        let colorless = noColor || ProcessInfo.processInfo.environment["NO_COLOR"] != nil || theme == "mono"
        try TuiRunner(store: store, limits: config.limits, query: query, theme: colorless ? .mono : .default, color: !colorless,
                      spoolPath: follow || spoolConfigured ? locations.spoolPath : nil).run()
    }
}
