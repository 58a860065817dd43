import ArgumentParser

struct UnresolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unresolve",
        abstract: "Reopen resolved or ignored groups (they become unresolved/ongoing).",
        aliases: ["reopen"]
    )

    @OptionGroup var locations: Locations

    @Argument(help: "Numeric ids or short ids.")
    var groups: [String]

    func run() throws {
        try StatusChangeRunner.run(.reopen, groups: groups, locations: locations)
    }
}
