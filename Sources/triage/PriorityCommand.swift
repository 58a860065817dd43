import ArgumentParser
import Foundation
import TriageEngine

struct PriorityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "priority",
        abstract: "Set groups' priority by hand (then newer occurrences no longer change it), or `auto` to let them again."
    )

    @OptionGroup var locations: Locations

    @Argument(help: "high, medium, low, or auto.")
    var level: String

    @Argument(help: "Numeric ids or short ids.")
    var groups: [String]

    func validate() throws {
        guard ManualPriority(name: level) != nil else { throw ValidationError("priority must be high, medium, low or auto, not '\(level)'.") }
        if groups.isEmpty { throw ValidationError("name at least one group.") }
    }

    func run() throws {
        let config = try locations.loadConfig()
        let store = try locations.openIssueStore(config)
        let targets = try store.groups(named: groups)
        // Recorded in each group's history as who acts on the store (the team store's role), as assign is.
        let me = try locations.activity(config, store: store).actor.name
        try store.setPriority(ManualPriority(name: level)?.value, of: targets.map(\.id), actor: me)
        for group in targets { print("\(group.shortID): priority \(level)\(level == "auto" ? " (from the next occurrence)" : ", locked")") }
    }
}
