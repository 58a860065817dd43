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

    static let levels: [String: Int?] = ["high": 75, "medium": 50, "low": 25, "auto": nil]

    func validate() throws {
        guard Self.levels[level] != nil else { throw ValidationError("priority must be high, medium, low or auto, not '\(level)'.") }
        if groups.isEmpty { throw ValidationError("name at least one group.") }
    }

    func run() throws {
        let config = try locations.loadConfig()
        let store = try locations.openStore(config)
        let targets = try groups.map { try store.group($0) }
        try store.setPriority(Self.levels[level]!, of: targets.map(\.id))
        for group in targets { print("\(group.shortID): priority \(level)\(level == "auto" ? " (from the next occurrence)" : ", locked")") }
    }
}
