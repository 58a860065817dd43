import ArgumentParser
import Foundation
import TriageEngine

struct AssignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign",
        abstract: "Assign groups to someone (`me`: you), or unassign them (`none`); all named groups or none.",
        discussion: """
            `me` is $TRIAGE_USER, else your login name. A name is one word, as `assigned:NAME` finds it \
            (alice, team:oncall, bob@example.com). Each change is in the group's history with who made it, \
            and configured notifiers receive an `assigned` notification before the command exits.
            """
    )

    @OptionGroup var locations: Locations

    @Argument(help: "Numeric ids or short ids.")
    var groups: [String]

    @Option(help: ArgumentHelp("Who: a name, `me`, or `none` to unassign.", valueName: "name"))
    var to: String

    func validate() throws {
        if groups.isEmpty { throw ValidationError("name at least one group.") }
        do { _ = try target() } catch { throw ValidationError(error.description) }
    }

    func run() throws {
        let config = try locations.loadConfig()
        let store = try locations.openIssueStore(config)
        let targets = try store.groups(named: groups)
        let me = try locations.activity(config, store: store).actor.name
        let changes = try store.assign(targets.map(\.id), to: try AssigneeName.target(to, me: me), actor: me)
        // Like a one-shot ingest: what this command recorded goes out before it exits.
        if !config.notifiers.isEmpty, changes.contains(where: \.changed), let outbox = store as? any NotificationDeliveries {
            try NotificationCourier(store: outbox, notifiers: config.notifiers).finish()
        }
        for (group, change) in zip(targets, changes) {
            let to = TerminalText.sanitize(AssignmentChange.name(change.to))
            print(change.changed ? "\(group.shortID): \(TerminalText.sanitize(AssignmentChange.name(change.from))) → \(to)"
                                 : "\(group.shortID): already \(to)")
        }
    }

    /// Checked again in `run` against who acts on the store (the team store's role).
    private func target() throws(TeamInputError) -> String? {
        try AssigneeName.target(to, me: Actor.current(environment: ProcessInfo.processInfo.environment).name)
    }
}
