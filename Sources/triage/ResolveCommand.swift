import ArgumentParser

struct ResolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Mark groups resolved. A new occurrence on a resolved group makes it unresolved/regressed."
    )

    @OptionGroup var locations: Locations

    @Argument(help: "Numeric ids or short ids.")
    var groups: [String]

    func run() throws {
        try StatusChangeRunner.run(.resolve, groups: groups, locations: locations)
    }
}
